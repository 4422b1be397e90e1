using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
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
/// Every published week in one gzip file, as CSV (the list download's columns, in the request's language)
/// or as JSON lines (the JSON download's fields, codes rather than names, plus the week). Rows are
/// compressed as they are read from the database, so the archive never sits in memory whole.
/// </summary>
public sealed class ArchiveDownload(NpgsqlDataSource dataSource, PublicFacts facts, string format, int exclusionWeeks) : IActionResult
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        var texts = context.HttpContext.RequestServices.GetRequiredService<Texts>();
        response.ContentType = "application/gzip";
        response.Headers[HeaderNames.ContentDisposition] =
            new ContentDispositionHeaderValue("attachment") { FileName = $"ashyq-archive.{format}.gz" }.ToString();
        var rows = ListQuery.StreamArchiveAsync(dataSource, cancellationToken);

        await using var gzip = new GZipStream(response.Body, CompressionLevel.Optimal, leaveOpen: true);
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
