using System.Text.Json;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Changes;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

/// <summary>
/// One business in a week's delta: the group of the week's changes it is in (<see cref="ChangesQuery.Kinds"/>),
/// its status the week before (null: not listed then) and now (null: no longer listed).
/// </summary>
public sealed record DeltaItem(string Change, string Id, string Bin, string Name, string? Before, string? Now);

public sealed record DeltaDocument(string Week, string PreviousWeek, IReadOnlyList<DeltaItem> Changes);

/// <summary>
/// A published week against the published week before it, for scripts: exactly the groups and businesses
/// of the week's changes page (<see cref="ChangesQuery"/> decides who is in which), all of them, as CSV
/// (in the current language) or JSON (codes). The first published week has none.
/// </summary>
public static class WeekDelta
{
    public const string Csv = "csv";
    public const string Json = "json";

    public static async Task WriteAsync(
        Stream output, NpgsqlDataSource dataSource, Texts texts, DateOnly week, DateOnly previous, string format, int exclusionWeeks,
        CancellationToken cancellationToken)
    {
        var sections = await ChangesQuery.LoadAsync(dataSource, week, previous, null, 0, int.MaxValue, cancellationToken);
        var items = sections.SelectMany(s => s.Businesses.Select(b => new DeltaItem(
            s.Kind, b.Id, b.Number, b.Name, s.Kind == ChangesQuery.Newcomers ? null : b.PreviousStatus,
            s.Kind == ChangesQuery.Departures ? null : b.Status))).ToList();
        if (format == Json)
        {
            await JsonSerializer.SerializeAsync(
                output, new DeltaDocument(WeekDates.ToText(week), WeekDates.ToText(previous), items), PublicJson.Options, cancellationToken);
            return;
        }

        await using var csv = new CsvDownload(output);
        await csv.RowAsync(
            texts["common.week"], texts["data.delta.change"], texts["common.bin"], texts["common.name"],
            texts["changes.before"], texts["changes.now"]);
        foreach (var item in items)
        {
            await csv.RowAsync(
                WeekDates.ToText(week), Section(texts, item.Change, exclusionWeeks), item.Bin, item.Name,
                item.Before is null ? texts["changes.notListed"] : Wording.Status(texts, item.Before),
                item.Now is null ? texts["changes.notListed"] : Wording.Status(texts, item.Now));
        }
    }

    private static string Section(Texts texts, string kind, int exclusionWeeks) =>
        Wording.Capitalised(texts.Format("changes." + kind, Wording.RuleName(texts, exclusionWeeks)));
}
