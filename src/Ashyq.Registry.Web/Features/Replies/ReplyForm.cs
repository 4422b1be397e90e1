using System.Net.Mail;

namespace Ashyq.Registry.Web.Features.Replies;

/// <summary>
/// What the public reply form sends. Website is the honeypot: a field people never see, which only a
/// program filling every field fills in.
/// </summary>
public sealed class ReplyForm
{
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? Email { get; set; }
    public string? Statement { get; set; }
    public string? Week { get; set; }
    public string? Website { get; set; }

    /// <summary>The request posts this form (to /business/{id}/reply), which checks its own characters.</summary>
    public static bool IsSentTo(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "";
        return HttpMethods.IsPost(request.Method)
            && path.StartsWith("/business/", StringComparison.Ordinal)
            && path.EndsWith("/reply", StringComparison.Ordinal)
            && path.AsSpan("/business/".Length, path.Length - "/business/".Length - "/reply".Length).IndexOf('/') < 0;
    }

    /// <summary>The form's fields, each with the code of what is wrong with it (the text is replies.error.CODE).</summary>
    public static class Problems
    {
        public const string Empty = "empty";
        public const string TooLong = "too-long";
        public const string Control = "control";
        public const string Email = "email";
        public const string Week = "week";

        public static readonly string[] All = [Empty, TooLong, Control, Email, Week];
    }

    /// <summary>
    /// The fields' problems by field name, none when the reply may be stored. A line break or tab is allowed
    /// in the statement only; any other control character, and the marks that reverse the direction of text
    /// (which can make a statement read as something else), are refused everywhere.
    /// </summary>
    public IReadOnlyDictionary<string, string> Validate(ReplyOptions options, IReadOnlyCollection<DateOnly> weeks)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        Check(problems, nameof(Name), Name, options.MaxFieldCharacters, multiline: false);
        Check(problems, nameof(Role), Role, options.MaxFieldCharacters, multiline: false);
        if (Check(problems, nameof(Email), Email, options.MaxFieldCharacters, multiline: false) && !IsEmail(Email!.Trim()))
            problems[nameof(Email)] = Problems.Email;
        Check(problems, nameof(Statement), Statement, options.MaxStatementCharacters, multiline: true);
        if (!Core.Weeks.WeekDates.TryParse(Week, out var week) || !weeks.Contains(week))
            problems[nameof(Week)] = Problems.Week;
        return problems;
    }

    /// <summary>The statement as stored: trimmed, with Windows and old Mac line ends made one kind.</summary>
    public static string Clean(string text, bool multiline) =>
        multiline ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim() : text.Trim();

    private static bool Check(Dictionary<string, string> problems, string field, string? value, int max, bool multiline)
    {
        var text = Clean(value ?? "", multiline);
        if (text.Length == 0)
            problems[field] = Problems.Empty;
        else if (text.Length > max)
            problems[field] = Problems.TooLong;
        else if (text.Any(c => IsRefused(c, multiline)) || Core.Exports.TextNormalizer.HasUnsafeCharacters(text))
            problems[field] = Problems.Control;
        else
            return true;
        return false;
    }

    private static bool IsRefused(char c, bool multiline) =>
        (char.IsControl(c) && !(multiline && c is '\n' or '\t'))
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';

    private static bool IsEmail(string text) =>
        !text.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !address.Host.StartsWith('.') && !address.Host.EndsWith('.');
}
