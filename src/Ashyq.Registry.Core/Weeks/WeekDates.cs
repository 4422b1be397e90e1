using System.Globalization;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>What a reporting week may be measured against the calendar.</summary>
public enum WeekCheck
{
    Valid,
    NotMonday,
    BeforeFirstWeek,
    TooFarAhead,
}

/// <summary>
/// The one home of the rule for a reporting week's date and of how it is written: the Monday the week
/// starts on, as yyyy-MM-dd, from the project's first week to a few weeks after the current one.
/// The upload form, the command-line verbs, the inbox, the pipeline and the public addresses all ask here.
/// </summary>
public static class WeekDates
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>
    /// The earliest week the registry takes: the first Monday of 2020, the year the project began
    /// (docs/import-pipeline.md says why this day).
    /// </summary>
    public static readonly DateOnly FirstWeek = new(2020, 1, 6);

    /// <summary>The last day a week can start on and still end within the calendar .NET can count.</summary>
    private static readonly DateOnly LastRepresentableStart = DateOnly.MaxValue.AddDays(-6);

    private static readonly DateOnly LastRepresentableMonday = MondayOf(LastRepresentableStart);

    /// <summary>A date written exactly as yyyy-MM-dd (any date, Monday or not, in range or not).</summary>
    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string ToText(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The Sunday the week ends on. A week stored before the bounds existed may start so near the end of
    /// the calendar that its Sunday cannot be counted; it then ends on the calendar's last day.
    /// </summary>
    public static DateOnly EndOf(DateOnly start) => start > LastRepresentableStart ? DateOnly.MaxValue : start.AddDays(6);

    /// <summary>Today's date in UTC, the day the bounds are measured from.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The Monday of the week that holds the day (the calendar's first day is a Monday).</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The latest week accepted on the given day: the current week's Monday and as many weeks after it.</summary>
    public static DateOnly LastWeek(DateOnly today, int maxWeeksAhead)
    {
        var monday = MondayOf(today);
        if (monday >= LastRepresentableMonday)
            return LastRepresentableMonday;
        var room = (LastRepresentableMonday.DayNumber - monday.DayNumber) / 7;
        return monday.AddDays(7 * Math.Clamp(maxWeeksAhead, 0, room));
    }

    public static WeekCheck Check(DateOnly week, DateOnly today, int maxWeeksAhead)
    {
        if (week.DayOfWeek != DayOfWeek.Monday)
            return WeekCheck.NotMonday;
        if (week < FirstWeek)
            return WeekCheck.BeforeFirstWeek;
        if (week > LastWeek(today, maxWeeksAhead))
            return WeekCheck.TooFarAhead;
        return WeekCheck.Valid;
    }

    /// <summary>The rule as one English sentence, for the command line, the inbox and the pipeline's own refusals.</summary>
    public static string Describe(WeekCheck check, DateOnly week, DateOnly today, int maxWeeksAhead) => check switch
    {
        WeekCheck.NotMonday => $"{ToText(week)} is a {week.DayOfWeek}; a reporting week starts on Monday.",
        WeekCheck.BeforeFirstWeek => $"{ToText(week)} is before the registry's first week ({ToText(FirstWeek)}).",
        WeekCheck.TooFarAhead => $"{ToText(week)} is too far ahead: the latest week accepted now starts on {ToText(LastWeek(today, maxWeeksAhead))} " +
            $"({maxWeeksAhead} weeks after the current one, Registry__MaxWeeksAhead).",
        _ => $"{ToText(week)} is a valid reporting week.",
    };
}
