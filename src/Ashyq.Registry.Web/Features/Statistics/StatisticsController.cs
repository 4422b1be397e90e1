using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Statistics;

public sealed record CountRow(DateOnly WeekStart, string Dimension, string Code, int Participants, int Leaders, int Outsiders, int Excluded);

/// <summary>One bar or point of a chart, with the figure its table shows too.</summary>
public sealed record ChartValue(string Label, long Value);

public sealed record ChartModel(string Id, string Title, IReadOnlyList<ChartValue> Values);

/// <summary>How a series' points are marked, so that series differ in shape as well as colour.</summary>
public enum ChartMarker
{
    Circle,
    Square,
    Triangle,
}

/// <summary>One line of a line chart: a value for each label of the chart.</summary>
public sealed record ChartSeries(string Key, string Name, ChartMarker Marker, IReadOnlyList<long> Values);

public sealed record LineChartModel(string Id, string Title, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series)
{
    /// <summary>The y axis is cut into this many equal steps, each labelled with its value.</summary>
    public const int Intervals = 4;

    /// <summary>The top of the y axis: the smallest of 1, 2, 4, 6, 8 times a power of ten that reaches the value, so that each quarter is a round number.</summary>
    public static long NiceCeiling(long value)
    {
        if (value <= Intervals)
            return Intervals;
        var magnitude = 1L;
        while (magnitude * 10 < value)
            magnitude *= 10;
        foreach (var step in (long[])[1, 2, 4, 6, 8, 10])
        {
            if (step * magnitude >= value && step * magnitude % Intervals == 0)
                return step * magnitude;
        }
        return 10 * magnitude;
    }
}

public sealed record StatisticsModel(PublicFacts Facts, PublishedWeek Week, IReadOnlyList<CountRow> Counts)
{
    /// <summary>The week's counts in one dimension, largest first; districts keep "unknown" last.</summary>
    public IReadOnlyList<CountRow> ForWeek(string dimension) => [.. Counts
        .Where(c => c.WeekStart == Week.WeekStart && c.Dimension == dimension)
        .OrderBy(c => c.Code == "unknown")
        .ThenByDescending(c => c.Participants)
        .ThenBy(c => c.Code, StringComparer.Ordinal)];

    /// <summary>Participants of one code in each published week, oldest first (0 when a week has none).</summary>
    public int Participants(DateOnly week, string dimension, string code) =>
        Counts.FirstOrDefault(c => c.WeekStart == week && c.Dimension == dimension && c.Code == code)?.Participants ?? 0;

    public IEnumerable<PublishedWeek> WeeksOldestFirst => Facts.Weeks.Reverse();

    public IReadOnlyList<string> DistrictCodes => [.. Facts.Districts.Select(d => d.Code)
        .Concat(Counts.Any(c => c.Dimension == "district" && c.Code == "unknown") ? ["unknown"] : [])];
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class StatisticsController(NpgsqlDataSource dataSource, RegistryDbContext db) : Controller
{
    [HttpGet("/statistics")]
    public async Task<IActionResult> Index(string? week, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (!this.TryFindWeek(facts, week, out var selected, out var answer))
            return answer;

        var counts = await (
            from c in db.WeekCounts.AsNoTracking()
            join w in db.Weeks.AsNoTracking() on c.WeekStart equals w.WeekStart
            where w.Status == WeekStatuses.Published
            select new CountRow(c.WeekStart, c.Dimension, c.Code, c.Participants, c.Leaders, c.Outsiders, c.Excluded))
            .ToListAsync(cancellationToken);
        this.ShowsWeek(facts, selected);
        return View(new StatisticsModel(facts, selected, counts));
    }
}
