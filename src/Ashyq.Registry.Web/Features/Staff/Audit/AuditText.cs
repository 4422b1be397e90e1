using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Staff.Audit;

/// <summary>
/// An audit entry as a sentence in the reader's language. The log keeps its subject and details as they
/// were written, in English; each form below reads the values back out of them and puts them into the
/// text staff.audit.say.CODE (or CODE.VARIANT). Trailing parts joined by "; " (an Admin's override,
/// confirmed warnings) become sentences of their own. An entry no form reads gives null, and the page
/// shows its code and details as stored.
/// </summary>
public static class AuditText
{
    public const string KeyPrefix = "staff.audit.say.";
    public const string ClauseKeyPrefix = "staff.audit.clause.";

    private const string Account = "^account (?<email>.+)$";
    private const string Import = @"^import (?<import>\d+)$";
    private const string Week = @"^(?<week>\d{4}-\d{2}-\d{2})$";
    private const string Reply = @"^reply (?<reply>\d+)$";
    private const string Business = @"^business (?<business>\d{12})$";
    private const string Anything = "";
    private const string Nothing = "^$";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>How one stored form of an action reads: the key's variant, and the patterns of its subject and details.</summary>
    public sealed record Form(string Code, string? Variant, string Subject, string Details)
    {
        public string Key => KeyPrefix + Code + (Variant is null ? "" : "." + Variant);

        /// <summary>The values the form reads, which are the placeholders of its text.</summary>
        public IReadOnlySet<string> Values =>
            new[] { Subject, Details }.SelectMany(p => Compile(p).GetGroupNames())
                .Where(n => !char.IsDigit(n[0]) && n != "rest").ToHashSet(StringComparer.Ordinal);
    }

    public static readonly IReadOnlyList<Form> Forms =
    [
        new("staff.sign-in", null, Anything, Nothing),
        new("staff.sign-in-failed", null, Anything, Nothing),
        new("staff.sign-in-locked-out", null, Anything, Nothing),
        new("staff.sign-in-refused-disabled", null, Anything, Nothing),
        new("staff.sign-out", null, Anything, Nothing),
        new("account.create", null, Account, "^role (?<role>.+)$"),
        new("account.disable", null, Account, Nothing),
        new("account.enable", null, Account, Nothing),
        new("account.password-change", null, Account, Nothing),
        new("account.reset-password", null, Account, Nothing),
        new("account.role", null, Account, "^(?<before>.*) → (?<role>[^→]+)$"),
        new("alias.add", null, "^alias \"(?<alias>.*)\" → (?<category>[^→]+)$", @"^(?<rows>\d+) stored rows re-mapped in (?<weeks>\d+) weeks$"),
        new("alias.remove", null, "^alias \"(?<alias>.*)\" → (?<category>[^→]+)$", @"^(?<rows>\d+) stored rows re-mapped in (?<weeks>\d+) weeks$"),
        new("import.upload", "same-file", Import,
            @"^(?<file>.+), week (?<week>\d{4}-\d{2}-\d{2}), (?<bytes>\d+) bytes, sha256 (?<sha>[0-9a-f]+), same file as import (?<original>\d+)$"),
        new("import.upload", null, Import, @"^(?<file>.+), week (?<week>\d{4}-\d{2}-\d{2}), (?<bytes>\d+) bytes, sha256 (?<sha>[0-9a-f]+)$"),
        new("import.load", null, Import, @"^week (?<week>\d{4}-\d{2}-\d{2}): (?<loaded>\d+) rows loaded, (?<rejected>\d+) rejected(?<rest>; .*)?$"),
        new("import.retry", null, Import, Nothing),
        new("week.publish", null, Week, "^(?<rest>.*)$"),
        new("week.withdraw", null, Week, "^(?<reason>.*)$"),
        new("week.replace", null, Week,
            @"^import (?<old>\d+) replaced by import (?<replacement>\d+): participants (?<participants>\d+ → \d+), leaders (?<leaders>\d+ → \d+), "
            + @"outsiders (?<outsiders>\d+ → \d+), excluded (?<excluded>\d+ → \d+); reason: (?<reason>.*?)"
            + @"(?<rest>(; (an Admin published their own upload, overriding the second-person rule|confirmed warnings: [^;]*))*)$"),
        new("week.discard", "draft", Week, @"^draft of import (?<import>\d+) discarded; the import and its stored file are kept$"),
        new("week.discard", "replacement", Week,
            @"^replacement from import (?<import>\d+) discarded; the published version stays, the import and its stored file are kept$"),
        new("reply.publish", null, Reply, @"^business (?<business>\d{12}), week (?<week>\d{4}-\d{2}-\d{2})$"),
        new("reply.reject", null, Reply, @"^business (?<business>\d{12}), week (?<week>\d{4}-\d{2}-\d{2}); reason: (?<reason>.*)$"),
        new("review.open", null, Business, @"^after reply (?<reply>\d+)$"),
        new("review.close", null, Business, Nothing),
    ];

    /// <summary>The trailing parts a publication or a load may carry, each its own sentence.</summary>
    public static readonly IReadOnlyDictionary<string, string> Clauses = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["own-upload"] = "^an Admin published their own upload, overriding the second-person rule$",
        ["warnings"] = "^confirmed warnings: (?<warnings>.+)$",
        ["replacing"] = "^waiting beside the published version to replace it$",
    };

    public static IReadOnlySet<string> ClauseValues(string clause) =>
        Compile(Clauses[clause]).GetGroupNames().Where(n => !char.IsDigit(n[0])).ToHashSet(StringComparer.Ordinal);

    /// <summary>The key of the words for one confirmed warning of a publication (its kind, and for a missing column which).</summary>
    public const string WarningKeyPrefix = "staff.audit.warning.";

    /// <summary>The warning kinds a publication's confirmation names, with the texts that say them.</summary>
    public static readonly IReadOnlyList<string> WarningTexts =
    [
        "change", "category-zero", "district-zero", "column-missing.district", "column-missing.flagged", "title-period",
    ];

    /// <summary>The entry as a sentence, or null when its code or its stored words are not ones a form reads.</summary>
    /// <param name="names">The names of categories and districts in the reader's language, by code, for the warnings that name one.</param>
    public static string? Say(string action, string? subject, string? details, Texts texts, string? language = null, AuditNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        try
        {
            return Read(action, subject, details, texts, language ?? Languages.Current, names ?? AuditNames.None);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static string? Read(string action, string? subject, string? details, Texts texts, string language, AuditNames names)
    {
        foreach (var form in Forms)
        {
            if (form.Code != action)
                continue;
            var s = Compile(form.Subject).Match(subject ?? "");
            var d = Compile(form.Details).Match(details ?? "");
            if (!s.Success || !d.Success)
                continue;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var match in new[] { s, d })
            {
                foreach (var group in match.Groups.Values.Where(g => g.Success && g.Name != "rest" && !char.IsDigit(g.Name[0])))
                    values[group.Name] = group.Value;
            }
            if (!texts.Has(form.Key) || RowMessageText.Fill(texts.Get(form.Key, language), values) is not { } sentence)
                return null;
            var rest = d.Groups["rest"];
            if (!rest.Success || rest.Length == 0)
                return sentence;
            var parts = new List<string> { sentence };
            foreach (var part in rest.Value.Split("; ", StringSplitOptions.RemoveEmptyEntries))
            {
                if (SayClause(part.Trim(), texts, language, names) is not { } clause)
                    return null;
                parts.Add(clause);
            }
            return string.Join(" ", parts);
        }
        return null;
    }

    private static string? SayClause(string part, Texts texts, string language, AuditNames names)
    {
        foreach (var (name, pattern) in Clauses)
        {
            var match = Compile(pattern).Match(part);
            if (!match.Success)
                continue;
            var values = match.Groups.Values.Where(g => g.Success && !char.IsDigit(g.Name[0]))
                .ToDictionary(g => g.Name, g => g.Value, StringComparer.Ordinal);
            if (values.TryGetValue("warnings", out var keys))
                values["warnings"] = SayWarnings(keys, texts, language, names);
            return RowMessageText.Fill(texts.Get(ClauseKeyPrefix + name, language), values);
        }
        return null;
    }

    /// <summary>
    /// The confirmed warnings, stored as the keys the publish form confirmed (KIND:SUBJECT, see PublishWarning.Key),
    /// each in words; a key of a kind not known here is shown as stored.
    /// </summary>
    private static string SayWarnings(string keys, Texts texts, string language, AuditNames names)
    {
        var said = new List<string>();
        foreach (var key in keys.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var (kind, subject) = colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
            var text = kind switch
            {
                "change" when texts.Has("staff.totals." + subject) =>
                    Fill("change", ("what", texts.Get("staff.totals." + subject, language))),
                "category-zero" => Fill("category-zero", ("name", names.Categories.GetValueOrDefault(subject, subject))),
                "district-zero" => Fill("district-zero", ("name", names.Districts.GetValueOrDefault(subject, subject))),
                "column-missing" when subject is "district" or "flagged" => Fill("column-missing." + subject),
                "title-period" => Fill("title-period", ("day", subject)),
                _ => null,
            };
            said.Add(text ?? key);
        }
        return string.Join("; ", said);

        string? Fill(string name, params (string Name, string Value)[] values) =>
            RowMessageText.Fill(texts.Get(WarningKeyPrefix + name, language), values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));
    }

    // Patterns are few and fixed; the cache compiles each once. The timeout bounds a hostile reason or file name.
    private static Regex Compile(string pattern) =>
        Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Singleline,
            TimeSpan.FromSeconds(1)));

    /// <summary>Every code the log can hold has at least one form here.</summary>
    public static IEnumerable<string> CodesWithoutForm() => AuditActions.All.Where(c => Forms.All(f => f.Code != c));
}

/// <summary>The names of categories and districts in the reader's language, by code, for the audit entries that name one.</summary>
public sealed record AuditNames(IReadOnlyDictionary<string, string> Categories, IReadOnlyDictionary<string, string> Districts)
{
    public static readonly AuditNames None = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}
