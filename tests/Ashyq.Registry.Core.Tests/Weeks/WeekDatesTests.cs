using Ashyq.Registry.Core.Weeks;

namespace Ashyq.Registry.Core.Tests.Weeks;

public sealed class WeekDatesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1); // a Tuesday

    [Theory]
    [InlineData("2020-01-06", WeekCheck.Valid)]
    [InlineData("2021-07-19", WeekCheck.Valid)]
    [InlineData("2026-11-30", WeekCheck.Valid)]
    [InlineData("2026-12-14", WeekCheck.Valid)]
    [InlineData("2026-12-21", WeekCheck.TooFarAhead)]
    [InlineData("9999-12-27", WeekCheck.TooFarAhead)]
    [InlineData("2019-12-30", WeekCheck.BeforeFirstWeek)]
    [InlineData("0001-01-01", WeekCheck.BeforeFirstWeek)]
    [InlineData("2021-07-20", WeekCheck.NotMonday)]
    [InlineData("9999-12-31", WeekCheck.NotMonday)]
    public void Check_WeekAgainstTheBounds(string week, WeekCheck expected)
    {
        Assert.True(WeekDates.TryParse(week, out var date));

        Assert.Equal(expected, WeekDates.Check(date, Today, maxWeeksAhead: 2));
    }

    [Fact]
    public void LastWeek_IsTheCurrentWeeksMondayAndTheWeeksAhead()
    {
        Assert.Equal(new DateOnly(2026, 11, 30), WeekDates.LastWeek(Today, 0));
        Assert.Equal(new DateOnly(2026, 12, 14), WeekDates.LastWeek(Today, 2));
        // On the calendar's last days the bound stops at the last week whose Sunday can be counted.
        Assert.Equal(new DateOnly(9999, 12, 20), WeekDates.LastWeek(DateOnly.MaxValue, 520));
    }

    [Fact]
    public void EndOf_TheCalendarsLastWeek_EndsOnItsLastDay_NotAnOverflow()
    {
        Assert.Equal(new DateOnly(2021, 7, 25), WeekDates.EndOf(new DateOnly(2021, 7, 19)));
        Assert.Equal(new DateOnly(9999, 12, 26), WeekDates.EndOf(new DateOnly(9999, 12, 20)));
        Assert.Equal(DateOnly.MaxValue, WeekDates.EndOf(new DateOnly(9999, 12, 27)));
        Assert.Equal(new DateOnly(1, 1, 7), WeekDates.EndOf(DateOnly.MinValue));
    }

    [Fact]
    public void MondayOf_TheCalendarsFirstDays_IsItsFirstMonday()
    {
        Assert.Equal(new DateOnly(2021, 7, 19), WeekDates.MondayOf(new DateOnly(2021, 7, 25)));
        Assert.Equal(DateOnly.MinValue, WeekDates.MondayOf(new DateOnly(1, 1, 3)));
    }

    [Theory]
    [InlineData("2021-7-19")]
    [InlineData("19.07.2021")]
    [InlineData("2021-07-19T00:00")]
    [InlineData("10000-01-03")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_AnythingButYyyyMmDd_IsRefused(string? text) => Assert.False(WeekDates.TryParse(text, out _));

    [Fact]
    public void Describe_NamesTheRuleAndTheSetting()
    {
        var week = new DateOnly(9999, 12, 27);

        var text = WeekDates.Describe(WeekDates.Check(week, Today, 2), week, Today, 2);

        Assert.Contains("2026-12-14", text, StringComparison.Ordinal);
        Assert.Contains("Registry__MaxWeeksAhead", text, StringComparison.Ordinal);
    }
}
