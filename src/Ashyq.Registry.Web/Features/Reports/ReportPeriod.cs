using System.Globalization;
using System.Text.RegularExpressions;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Reports;

public enum ReportPeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// A month (2021-07), a quarter (2021-Q3) or a year (2021) of the chamber's reports. A week belongs to
/// the period its Monday falls in, so a week that starts on 28 June and ends on 4 July is June's.
/// </summary>
public sealed partial record ReportPeriod(ReportPeriodKind Kind, int Year, int Number)
{
    /// <summary>No week before 6 January 2020 is ever loaded, so no period of an earlier year has one.</summary>
    public const int FirstYear = 2020;

    public DateOnly Start => Kind switch
    {
        ReportPeriodKind.Month => new DateOnly(Year, Number, 1),
        ReportPeriodKind.Quarter => new DateOnly(Year, ((Number - 1) * 3) + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    /// <summary>The period's last day.</summary>
    public DateOnly End => Kind switch
    {
        ReportPeriodKind.Month => Start.AddMonths(1).AddDays(-1),
        ReportPeriodKind.Quarter => Start.AddMonths(3).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    public bool Holds(DateOnly monday) => monday >= Start && monday <= End;

    public string Key => Kind switch
    {
        ReportPeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}"),
        ReportPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Number}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>"июль 2021", "3-й квартал 2021 года", "2021 год", in the reader's language.</summary>
    public string Name(Texts texts) => Kind switch
    {
        ReportPeriodKind.Month => texts.Format("reports.month", Start.ToString("MMMM", Languages.Culture(Languages.Current)), Year),
        ReportPeriodKind.Quarter => texts.Format("reports.quarter", Number, Year),
        _ => texts.Format("reports.year", Year),
    };

    /// <summary>The quarter and the year a month belongs to.</summary>
    public IEnumerable<ReportPeriod> Enclosing() => Kind switch
    {
        ReportPeriodKind.Month => [new(ReportPeriodKind.Quarter, Year, ((Number - 1) / 3) + 1), new(ReportPeriodKind.Year, Year, 0)],
        ReportPeriodKind.Quarter => [new(ReportPeriodKind.Year, Year, 0)],
        _ => [],
    };

    /// <summary>Reads a period's address: false when it is not one of the three forms at all.</summary>
    public static bool TryParse(string? text, out ReportPeriod period)
    {
        period = null!;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
            return false;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["month"].Success)
        {
            var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
                return false;
            period = new(ReportPeriodKind.Month, year, month);
        }
        else if (match.Groups["quarter"].Success)
        {
            period = new(ReportPeriodKind.Quarter, year, match.Groups["quarter"].Value[0] - '0');
        }
        else
        {
            period = new(ReportPeriodKind.Year, year, 0);
        }
        return true;
    }

    /// <summary>The month of a week's Monday.</summary>
    public static ReportPeriod MonthOf(DateOnly monday) => new(ReportPeriodKind.Month, monday.Year, monday.Month);

    public static ReportPeriod QuarterOf(DateOnly monday) => new(ReportPeriodKind.Quarter, monday.Year, ((monday.Month - 1) / 3) + 1);

    public static ReportPeriod YearOf(DateOnly monday) => new(ReportPeriodKind.Year, monday.Year, 0);

    [GeneratedRegex(@"^(?<year>\d{4})(?:-(?:(?<month>\d{2})|Q(?<quarter>[1-4])))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
