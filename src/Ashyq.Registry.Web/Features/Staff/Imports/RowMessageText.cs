using System.Text.Json;
using System.Text.RegularExpressions;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <summary>
/// A data row's message in the reader's language: the text of its code (staff.row-message.CODE) with the
/// values stored beside it put into its named placeholders ({bin}, {count}). A message stored before its
/// values were kept, or one whose values do not fill its text, is shown as the pipeline wrote it, in English.
/// </summary>
public static partial class RowMessageText
{
    public const string KeyPrefix = "staff.row-message.";

    public static string Say(ImportMessageRow message, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(texts);
        var key = KeyPrefix + message.Code;
        if (message.Args is null || !texts.Has(key))
            return message.Message;
        Dictionary<string, string>? args;
        try
        {
            args = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Args);
        }
        catch (JsonException)
        {
            return message.Message;
        }
        return args is not null && Fill(texts[key], args) is { } text ? text : message.Message;
    }

    /// <summary>The template with each {name} replaced by its value, or null when a value is missing.</summary>
    public static string? Fill(string template, IReadOnlyDictionary<string, string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var missing = false;
        var text = Placeholder().Replace(template, match =>
        {
            if (args.TryGetValue(match.Groups["name"].Value, out var value))
                return value;
            missing = true;
            return match.Value;
        });
        return missing ? null : text;
    }

    /// <summary>The names of a template's placeholders.</summary>
    public static IReadOnlySet<string> Placeholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{(?<name>[a-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
