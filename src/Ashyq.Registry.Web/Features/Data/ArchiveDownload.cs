using System.IO.Compression;
using System.Text.Json;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

/// <summary>
/// A row of the JSON lines archive: the JSON list download's item with the week it belongs to.
/// </summary>
public sealed record ArchiveItem(
    string Week, string Id, string Bin, string Name, string Category, string? District, string? Address, DateOnly? JoinedOn,
    int Scans, int FlaggedVisitors, string Status, string? Reason, string? ExclusionSource)
{
    public static ArchiveItem From(DateOnly week, ListItem item) => new(
        WeekDates.ToText(week), item.Id, item.Number, item.Name, item.CategoryCode, item.DistrictCode, item.Address, item.JoinedOn,
        item.Scans, item.FlaggedVisitors, item.Status, item.Reason, item.ExclusionSource);
}

/// <summary>
/// Every published week in one gzip file, as CSV (the list download's columns, in the current language)
/// or as JSON lines (the JSON download's fields, codes rather than names, plus the week). Rows are
/// compressed as they are read from the database, so the archive never sits in memory whole.
/// </summary>
public static class ArchiveDownload
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task WriteAsync(
        Stream output, NpgsqlDataSource dataSource, Texts texts, string format, int exclusionWeeks, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var rows = ListQuery.StreamArchiveAsync(dataSource, cancellationToken);
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        if (format == Csv)
        {
            await using var csv = new CsvDownload(gzip);
            await csv.RowAsync(ListDownload.Header(texts));
            await foreach (var (week, item) in rows.WithCancellation(cancellationToken))
                await csv.RowAsync(ListDownload.CsvCells(ListDownload.Cells(texts, facts, exclusionWeeks, week, item)));
        }
        else
        {
            await using var buffered = new BufferedStream(gzip, 16 * 1024);
            await foreach (var (week, item) in rows.WithCancellation(cancellationToken))
            {
                await JsonSerializer.SerializeAsync(buffered, ArchiveItem.From(week, item), PublicJson.Options, cancellationToken);
                await buffered.WriteAsync(NewLine, cancellationToken);
            }
            await buffered.FlushAsync(cancellationToken);
        }
    }
}
