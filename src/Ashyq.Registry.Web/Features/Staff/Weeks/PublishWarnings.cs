using System.Globalization;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

/// <summary>
/// One thing about a week that staff must have seen before it goes public. <see cref="Key"/> names it
/// in the confirmation the publish form sends back, so that a confirmation given for other warnings,
/// or for another file of the week, does not count.
/// </summary>
public sealed record PublishWarning(string Kind, string Subject, long Before, long After, string? Name = null)
{
    public const string Change = "change";
    public const string CategoryToZero = "category-zero";
    public const string DistrictToZero = "district-zero";
    public const string ColumnMissing = "column-missing";
    public const string TitlePeriod = "title-period";

    public string Key => $"{Kind}:{Subject}";
}

public static class PublishWarnings
{
    /// <summary>The file warnings of the week's import that the review repeats before the publish button.</summary>
    public static readonly string[] FileWarningCodes = ["district_column_missing", "flagged_column_missing", "title_week_mismatch"];

    /// <summary>
    /// What deserves a second look before the week is published: against the latest published week, a
    /// total that moved by more than the set share and a category or district left with no participant;
    /// from the file, a figure column it lacks and a title line naming another period.
    /// </summary>
    public static IReadOnlyList<PublishWarning> For(WeekReview review, IEnumerable<(string Code, string Message)> fileWarnings, double changePercent)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(fileWarnings);
        var warnings = new List<PublishWarning>();
        if (review.Before is { } before)
        {
            var after = review.After;
            foreach (var (subject, was, now) in new (string, long, long)[]
            {
                ("participants", before.Participants, after.Participants),
                ("leaders", before.Leaders, after.Leaders),
                ("outsiders", before.Outsiders, after.Outsiders),
                ("excluded", before.Excluded, after.Excluded),
            })
            {
                // From nothing there is no share to speak of; a list that appears is in the totals anyway.
                if (was > 0 && Math.Abs(now - was) * 100.0 / was > changePercent)
                    warnings.Add(new PublishWarning(PublishWarning.Change, subject, was, now));
            }
            foreach (var category in review.Categories.Where(c => c.Before > 0 && c.After == 0))
                warnings.Add(new PublishWarning(PublishWarning.CategoryToZero, category.Code, category.Before, 0, category.Name));
            foreach (var district in review.Districts.Where(d => d.Before > 0 && d.After == 0))
                warnings.Add(new PublishWarning(PublishWarning.DistrictToZero, district.Code, district.Before, 0, district.Name));
        }
        foreach (var (code, message) in fileWarnings.Distinct())
        {
            switch (code)
            {
                case "district_column_missing":
                    warnings.Add(new PublishWarning(PublishWarning.ColumnMissing, "district", 0, 0));
                    break;
                case "flagged_column_missing":
                    warnings.Add(new PublishWarning(PublishWarning.ColumnMissing, "flagged", 0, 0));
                    break;
                case "title_week_mismatch":
                    warnings.Add(new PublishWarning(PublishWarning.TitlePeriod, TitleDate(message) ?? "", 0, 0));
                    break;
            }
        }
        return warnings;
    }

    /// <summary>What the publish form must send back to confirm exactly these warnings for exactly this file of the week.</summary>
    public static string Confirmation(long importId, IReadOnlyList<PublishWarning> warnings) =>
        warnings.Count == 0 ? "" : $"{importId.ToString(CultureInfo.InvariantCulture)}|{string.Join(",", warnings.Select(w => w.Key))}";

    // The pipeline writes the title's first day into its message as dd.MM.yyyy (ImportService); it is read back from there.
    private static string? TitleDate(string message)
    {
        foreach (var word in message.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (DateOnly.TryParseExact(word.TrimEnd(',', '.'), "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return null;
    }
}
