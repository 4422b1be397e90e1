using System.Globalization;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff.Accounts;

/// <summary>
/// Length over composition: a password of at least Staff:PasswordMinimumLength characters (as a person
/// counts them, so a letter with an accent is one), up to Staff:PasswordMaximumLength, of any letters,
/// digits, spaces or signs; no rule asks for a digit or a capital. Refused: the passwords most commonly
/// used, a common word with digits or signs around it, one short run repeated, and the account's own
/// email. Applies wherever a password is set: the create-staff verb, an administrator's reset and a
/// staff member's own change.
/// </summary>
public sealed class StaffPasswordRules(IOptions<StaffSignInOptions> options) : IPasswordValidator<StaffUser>
{
    public const string TooShort = "PasswordTooShort";
    public const string TooLong = "PasswordTooLong";
    public const string Common = "PasswordCommon";
    public const string Personal = "PasswordPersonal";

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        var settings = options.Value;
        var length = string.IsNullOrEmpty(password) ? 0 : new StringInfo(password).LengthInTextElements;
        IdentityError? error = null;
        if (length < settings.PasswordMinimumLength || string.IsNullOrWhiteSpace(password))
            error = new() { Code = TooShort, Description = $"The password must have at least {settings.PasswordMinimumLength} characters." };
        else if (length > settings.PasswordMaximumLength)
            error = new() { Code = TooLong, Description = $"The password may have at most {settings.PasswordMaximumLength} characters." };
        else if (CommonPasswords.IsCommon(password))
            error = new() { Code = Common, Description = "The password is one of the most commonly used ones; choose another, a phrase of several words for instance." };
        else if (IsTheAccountsOwn(password, user))
            error = new() { Code = Personal, Description = "The password is the account's email or built from it; choose another." };
        return Task.FromResult(error is null ? IdentityResult.Success : IdentityResult.Failed(error));
    }

    private static bool IsTheAccountsOwn(string password, StaffUser user)
    {
        var email = user.Email ?? user.UserName;
        if (string.IsNullOrEmpty(email))
            return false;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var local = at > 0 ? email[..at] : email;
        var core = CommonPasswords.Core(password);
        return string.Equals(core, CommonPasswords.Core(email), StringComparison.OrdinalIgnoreCase)
            || (local.Length >= 3 && string.Equals(core, CommonPasswords.Core(local), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// The list of passwords most commonly chosen (common-passwords.txt beside this file, one a line,
/// compared without regard to case or spaces), with the patterns they are usually made from.
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public static bool IsCommon(string password)
    {
        var squeezed = Squeeze(password);
        if (List.Value.Contains(squeezed) || IsOneRunRepeated(squeezed))
            return true;
        // A common word or run with digits and signs before or after it: "Password1234", "2021qwerty!".
        var core = Core(squeezed);
        return core.Length > 0 && core.Length < squeezed.Length && (List.Value.Contains(core) || IsOneRunRepeated(core));
    }

    /// <summary>The text without the digits, signs and spaces at either end.</summary>
    internal static string Core(string text)
    {
        var squeezed = Squeeze(text);
        var start = 0;
        var end = squeezed.Length;
        while (start < end && !char.IsLetter(squeezed[start]))
            start++;
        while (end > start && !char.IsLetter(squeezed[end - 1]))
            end--;
        return squeezed[start..end];
    }

    private static string Squeeze(string text) =>
        string.Concat(text.Where(c => !char.IsWhiteSpace(c))).Normalize(System.Text.NormalizationForm.FormKC);

    /// <summary>"aaaaaaaaaaaa", "abcabcabcabc", "121212121212": one run of up to four characters, over and over.</summary>
    private static bool IsOneRunRepeated(string text)
    {
        for (var run = 1; run <= 4 && run * 2 <= text.Length; run++)
        {
            var repeated = true;
            for (var i = run; i < text.Length && repeated; i++)
                repeated = char.ToLowerInvariant(text[i]) == char.ToLowerInvariant(text[i % run]);
            if (repeated)
                return true;
        }
        return false;
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The list of common passwords ({ResourceName}) is not in the assembly.");
        using var reader = new StreamReader(stream);
        var list = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length > 0 && !line.StartsWith('#'))
                list.Add(Squeeze(line));
        }
        return list;
    }

    internal const string ResourceName = "Ashyq.Registry.Web.common-passwords.txt";
}
