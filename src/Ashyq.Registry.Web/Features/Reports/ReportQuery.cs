using System.Globalization;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Changes;
using Ashyq.Registry.Web.Features.Corrections;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Reports;

/// <summary>One cell of a report's table: the text shown, and the number behind it when it is one.</summary>
public sealed record ReportCell(string Text, double? Number = null, string? Href = null)
{
    public static ReportCell Count(long value) => new(Wording.Number(value), value);
}

public sealed record ReportColumn(string Key, string Title, bool Numeric = true);

/// <summary>
/// A table of a report, as the page, the workbook (one sheet each) and the PDF show it alike; the first
/// column names the row.
/// </summary>
public sealed record ReportTable(string Id, string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows)
{
    public string? Note { get; init; }
}

/// <summary>What a week changed against the published week before it, as its changes page counts it.</summary>
public sealed record WeekMovements(DateOnly WeekStart, IReadOnlyDictionary<string, int> Totals);

public sealed record PublicationTime(DateOnly WeekStart, DateTimeOffset UploadedAt, DateTimeOffset PublishedAt)
{
    public double Hours => Math.Round((PublishedAt - UploadedAt).TotalHours, 1);
}

public sealed record Report(
    ReportPeriod Period, PublicFacts Facts, IReadOnlyList<PublishedWeek> Weeks, IReadOnlyList<Statistics.CountRow> Counts,
    IReadOnlyList<ReportTable> Tables)
{
    public PublishedWeek First => Weeks[0];
    public PublishedWeek Last => Weeks[^1];

    public ReportTable Table(string id) => Tables.Single(t => t.Id == id);
}

/// <summary>
/// A period's report, read from its published weeks only: a withdrawn week is left out, a replaced week
/// counts once as its current version. Each week's figures are the ones its own pages show (the weeks
/// table, its statistics, its changes page), so the report always agrees with them.
/// </summary>
public static class ReportQuery
{
    public static IReadOnlyList<PublishedWeek> WeeksOf(PublicFacts facts, ReportPeriod period) =>
        [.. facts.Weeks.Where(w => period.Holds(w.WeekStart)).OrderBy(w => w.WeekStart)];

    public static async Task<Report> LoadAsync(
        NpgsqlDataSource dataSource, PublicFacts facts, ReportPeriod period, int exclusionWeeks, Texts texts, SiteTime time,
        CancellationToken cancellationToken)
    {
        var weeks = WeeksOf(facts, period);
        var movements = new List<WeekMovements>();
        foreach (var week in weeks)
        {
            var sections = await ChangesQuery.LoadAsync(dataSource, week.WeekStart, facts.Before(week.WeekStart)?.WeekStart, null, 0, 0, cancellationToken);
            movements.Add(new WeekMovements(week.WeekStart, sections.ToDictionary(s => s.Kind, s => s.Total)));
        }
        var counts = await CountsAsync(dataSource, weeks[0].WeekStart, weeks[^1].WeekStart, cancellationToken);
        var files = await FilesAsync(dataSource, period, cancellationToken);
        var publication = await PublicationAsync(dataSource, period, cancellationToken);
        var corrections = (await CorrectionsQuery.LoadAsync(dataSource, cancellationToken))
            .Where(c => c.Kind is Correction.Withdrawal or Correction.Replacement && c.Week is { } w && period.Holds(w))
            .OrderBy(c => c.At)
            .ToList();

        var build = new ReportTables(facts, weeks, movements, counts, files, publication, corrections, exclusionWeeks, texts, time);
        return new Report(period, facts, weeks, counts, build.All());
    }

    private static async Task<IReadOnlyList<Statistics.CountRow>> CountsAsync(NpgsqlDataSource dataSource, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT c.week_start, c.dimension, c.code, c.participants, c.leaders, c.outsiders, c.excluded
            FROM week_counts c JOIN weeks w ON w.week_start = c.week_start AND w.status = '{WeekStatuses.Published}'
            WHERE c.week_start IN ($1, $2)
            """);
        command.Parameters.Add(new() { Value = first });
        command.Parameters.Add(new() { Value = last });
        var rows = new List<Statistics.CountRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Statistics.CountRow(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
        }
        return rows;
    }

    /// <summary>Files received for the period's weeks, by how their import ended.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> FilesAsync(NpgsqlDataSource dataSource, ReportPeriod period, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT state, count(*)::int FROM imports WHERE week_start BETWEEN $1 AND $2 GROUP BY state");
        command.Parameters.Add(new() { Value = period.Start });
        command.Parameters.Add(new() { Value = period.End });
        var byState = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            byState[reader.GetString(0)] = reader.GetInt32(1);
        return byState;
    }

    /// <summary>For each published week, when the file it shows now was uploaded and when that version was published.</summary>
    private static async Task<IReadOnlyList<PublicationTime>> PublicationAsync(NpgsqlDataSource dataSource, ReportPeriod period, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT w.week_start, i.uploaded_at, w.published_at
            FROM weeks w JOIN imports i ON i.id = w.import_id
            WHERE w.status = '{WeekStatuses.Published}' AND w.week_start BETWEEN $1 AND $2
            ORDER BY w.week_start
            """);
        command.Parameters.Add(new() { Value = period.Start });
        command.Parameters.Add(new() { Value = period.End });
        var times = new List<PublicationTime>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            times.Add(new PublicationTime(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return times;
    }

    /// <summary>The middle value, or the mean of the two middle ones.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private sealed class ReportTables(
        PublicFacts facts, IReadOnlyList<PublishedWeek> weeks, IReadOnlyList<WeekMovements> movements, IReadOnlyList<Statistics.CountRow> counts,
        IReadOnlyDictionary<string, int> files, IReadOnlyList<PublicationTime> publication, IReadOnlyList<Correction> corrections,
        int exclusionWeeks, Texts texts, SiteTime time)
    {
        private readonly string _language = Languages.Current;

        public IReadOnlyList<ReportTable> All() =>
            [Weeks(), Trend(), Movements(), Flagged(), Dimension("category"), Dimension("district"), Files(), Publication(), PublicationSummary(), CorrectionsTable()];

        private static ReportCell WeekCell(DateOnly week, string page = "/statistics") =>
            new(Wording.WeekRange(week), Href: page + "?week=" + WeekDates.ToText(week));

        private ReportTable Weeks() => new("weeks", texts["reports.weeks"],
            [
                new("week", texts["common.week"], false), new("published", texts["reports.publishedAt"], false),
                new("participants", texts["common.participants"]), new("leaders", texts["common.leaders"]),
                new("outsiders", texts["common.outsiders"]), new("excluded", texts["common.excluded"]),
                new("excludedByFile", Wording.Capitalised(texts["source.file"])),
                new("excludedByRule", Wording.Capitalised(texts.Format("source.rule", Wording.RuleName(texts, exclusionWeeks)))),
                new("flagged", texts["common.flagged"]),
            ],
            [.. weeks.Select(w => (IReadOnlyList<ReportCell>)
            [
                WeekCell(w.WeekStart), new(time.Moment(w.PublishedAt)), ReportCell.Count(w.Participants), ReportCell.Count(w.Leaders),
                ReportCell.Count(w.Outsiders), ReportCell.Count(w.Excluded), ReportCell.Count(w.Excluded - w.ExcludedByRule),
                ReportCell.Count(w.ExcludedByRule), Flagged(w.FlaggedVisitors),
            ])]);

        private ReportCell Flagged(long? flagged) => flagged is { } value ? ReportCell.Count(value) : new(texts["common.notReported"]);

        private ReportTable Trend()
        {
            var first = weeks[0];
            var last = weeks[^1];
            IReadOnlyList<ReportCell> Row(string key, Func<PublishedWeek, long> figure) =>
                [new(texts[key]), ReportCell.Count(figure(first)), ReportCell.Count(figure(last)), Change(figure(last) - figure(first))];
            return new("trend", texts["reports.trend"],
                [
                    new("figure", texts["reports.figure"], false), new("start", texts.Format("reports.atStart", Wording.WeekRange(first.WeekStart))),
                    new("end", texts.Format("reports.atEnd", Wording.WeekRange(last.WeekStart))), new("change", texts["reports.change"]),
                ],
                [
                    Row("common.participants", w => w.Participants), Row("common.leaders", w => w.Leaders),
                    Row("common.outsiders", w => w.Outsiders), Row("common.excluded", w => w.Excluded),
                ]);
        }

        private static ReportCell Change(long value) => new(Wording.Change(value), value);

        private string KindTitle(string kind) => Wording.Capitalised(texts.Format("changes." + kind, Wording.RuleName(texts, exclusionWeeks)));

        private ReportTable Movements()
        {
            var columns = new List<ReportColumn> { new("week", texts["common.week"], false) };
            columns.AddRange(ChangesQuery.Kinds.Select(k => new ReportColumn(k, KindTitle(k))));
            var rows = movements.Select(m => (IReadOnlyList<ReportCell>)[WeekCell(m.WeekStart, "/changes"), .. ChangesQuery.Kinds.Select(k => ReportCell.Count(m.Totals[k]))]).ToList();
            rows.Add([new(texts["reports.total"]), .. ChangesQuery.Kinds.Select(k => ReportCell.Count(movements.Sum(m => m.Totals[k])))]);
            return new("movements", texts["reports.movements"], columns, rows) { Note = texts["reports.movementsNote"] };
        }

        private ReportTable Flagged()
        {
            var reported = weeks.Where(w => w.FlaggedVisitors is not null).ToList();
            return new("flagged", texts["common.flaggedVisitors"],
                [new("figure", texts["reports.figure"], false), new("value", texts["reports.value"])],
                [
                    [new(texts["reports.flaggedTotal"]), ReportCell.Count(reported.Sum(w => w.FlaggedVisitors!.Value))],
                    [new(texts["reports.flaggedWeeksReported"]), ReportCell.Count(reported.Count)],
                    [new(texts["reports.flaggedWeeksNotReported"]), ReportCell.Count(weeks.Count - reported.Count)],
                ])
            { Note = weeks.Count > reported.Count ? texts["common.flaggedNotReported"] : null };
        }

        private ReportTable Dimension(string dimension)
        {
            var first = weeks[0].WeekStart;
            var last = weeks[^1].WeekStart;
            int At(DateOnly week, string code) => counts.FirstOrDefault(c => c.WeekStart == week && c.Dimension == dimension && c.Code == code)?.Participants ?? 0;
            var codes = counts.Where(c => c.Dimension == dimension).Select(c => c.Code).Distinct()
                .OrderBy(c => c == "unknown").ThenByDescending(c => At(last, c)).ThenBy(c => c, StringComparer.Ordinal).ToList();
            string Name(string code) => dimension == "category" ? facts.CategoryName(code, _language)
                : code != "unknown" && facts.DistrictName(code, _language) is { } name ? name : texts["common.unknownDistrict"];
            return new(dimension == "category" ? "categories" : "districts", texts[dimension == "category" ? "statistics.byCategory" : "statistics.byDistrict"],
                [
                    new("name", texts[dimension == "category" ? "common.category" : "common.district"], false),
                    new("start", texts.Format("reports.atStart", Wording.WeekRange(first))),
                    new("end", texts.Format("reports.atEnd", Wording.WeekRange(last))), new("change", texts["reports.change"]),
                ],
                [.. codes.Select(code => (IReadOnlyList<ReportCell>)
                    [new(Name(code)), ReportCell.Count(At(first, code)), ReportCell.Count(At(last, code)), Change(At(last, code) - At(first, code))])]);
        }

        private ReportTable Files()
        {
            int State(string state) => files.TryGetValue(state, out var n) ? n : 0;
            return new("files", texts["reports.files"],
                [new("figure", texts["reports.figure"], false), new("value", texts["reports.value"])],
                [
                    [new(texts["reports.filesReceived"]), ReportCell.Count(files.Values.Sum())],
                    [new(texts["reports.filesRefused"]), ReportCell.Count(State(ImportStates.Failed))],
                    [new(texts["reports.filesDuplicate"]), ReportCell.Count(State(ImportStates.Duplicate))],
                ])
            { Note = texts["reports.filesNote"] };
        }

        private ReportCell Hours(double hours) => new(texts.Format("reports.hours", hours.ToString("0.#", Wording.Culture)), hours);

        private ReportTable Publication() => new("publication", texts["reports.publication"],
            [
                new("week", texts["common.week"], false), new("uploaded", texts["reports.uploadedAt"], false),
                new("published", texts["reports.publishedAt"], false), new("hours", texts["reports.duration"]),
            ],
            [.. publication.Select(p => (IReadOnlyList<ReportCell>)[WeekCell(p.WeekStart), new(time.Moment(p.UploadedAt)), new(time.Moment(p.PublishedAt)), Hours(p.Hours)])]);

        private ReportTable PublicationSummary()
        {
            var hours = publication.Select(p => p.Hours).ToList();
            return new("publication-summary", texts["reports.publicationSummary"],
                [new("figure", texts["reports.figure"], false), new("value", texts["reports.value"])],
                hours.Count == 0 ? [] :
                [
                    [new(texts["reports.median"]), Hours(Median(hours))],
                    [new(texts["reports.max"]), Hours(hours.Max())],
                ]);
        }

        private ReportTable CorrectionsTable() => new("corrections", texts["reports.corrections"],
            [
                new("at", texts["reports.correctedAt"], false), new("kind", texts["reports.correctionKind"], false),
                new("week", texts["common.week"], false), new("reason", texts["common.reason"], false),
                new("before", texts["reports.participantsBefore"]), new("after", texts["reports.participantsAfter"]),
            ],
            [.. corrections.Select(c => (IReadOnlyList<ReportCell>)
            [
                new(time.Moment(c.At)), new(texts["reports.kind." + c.Kind]), new(Wording.WeekRange(c.Week!.Value)), new(c.Reason ?? ""),
                c.Figures is { } before ? ReportCell.Count(before.Participants) : new(""),
                c.Kind == Correction.Replacement && c.FiguresAfter is { } after ? ReportCell.Count(after.Participants) : new(texts["reports.withdrawnNone"]),
            ])])
        { Note = corrections.Count == 0 ? texts["reports.noCorrections"] : null };
    }
}
