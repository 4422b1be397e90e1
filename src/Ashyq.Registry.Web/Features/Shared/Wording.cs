using System.Globalization;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>Dates, numbers, statuses and reasons written as people of each language write them.</summary>
public static class Wording
{
    public static CultureInfo Culture => Languages.Culture(Languages.Current);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Culture);

    /// <summary>"19–25 июля 2021", or "28 июня – 4 июля 2021" across a month's end.</summary>
    public static string WeekRange(DateOnly start)
    {
        var end = Core.Weeks.WeekDates.EndOf(start);
        var culture = Culture;
        if (start.Month == end.Month)
            return $"{start.Day}–{end.ToString("d MMMM yyyy", culture)}";
        if (start.Year == end.Year)
            return $"{start.ToString("d MMMM", culture)} – {end.ToString("d MMMM yyyy", culture)}";
        return $"{start.ToString("d MMMM yyyy", culture)} – {end.ToString("d MMMM yyyy", culture)}";
    }

    /// <summary>A text that begins with a word put in from elsewhere, with its first letter capitalised.</summary>
    public static string Capitalised(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], Culture) + text[1..];

    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>A change against the week before, always with its sign: "+12", "−3", "0".</summary>
    public static string Change(long value) => value switch
    {
        > 0 => "+" + Number(value),
        < 0 => "−" + Number(-value),
        _ => "0",
    };

    public static string Status(Texts texts, string status) => texts["status." + status];

    /// <summary>
    /// The reason a business was excluded: the file's own words, or for the rule "outsider N weeks in
    /// a row" in the page's language.
    /// </summary>
    public static string? Reason(Texts texts, string? reason, string? exclusionSource, int exclusionWeeks)
    {
        if (exclusionSource == "rule")
            return string.Format(Culture, texts[RuleKey(exclusionWeeks)], exclusionWeeks);
        return string.IsNullOrWhiteSpace(reason) ? null : reason;
    }

    public static string? Source(Texts texts, string? exclusionSource, int exclusionWeeks) => exclusionSource switch
    {
        "file" => texts["source.file"],
        "rule" => texts.Format("source.rule", RuleName(texts, exclusionWeeks)),
        _ => null,
    };

    /// <summary>
    /// The number in the exclusion rule's name as each language names the rule: "двух" in "правило двух недель",
    /// "екі" in "екі апта ережесі", "two" in "the two-week rule"; in figures beyond ten.
    /// </summary>
    public static string RuleName(Texts texts, int exclusionWeeks) =>
        exclusionWeeks is >= 2 and <= 10 ? texts["rule.number." + exclusionWeeks] : exclusionWeeks.ToString(CultureInfo.InvariantCulture);

    /// <summary>"2 недели", "5 недель": N weeks counted, for sentences that say how long an outsider lasts.</summary>
    public static string RuleWeeks(Texts texts, int exclusionWeeks) =>
        texts.Format(FewOrMany("rule.weeks", exclusionWeeks), exclusionWeeks);

    private static string RuleKey(int n) => FewOrMany("reason.rule", n);

    // Russian says "2 недели" but "5 недель".
    private static string FewOrMany(string key, int n) =>
        n % 10 is >= 2 and <= 4 && n % 100 is < 12 or > 14 ? key + ".few" : key + ".many";
}
