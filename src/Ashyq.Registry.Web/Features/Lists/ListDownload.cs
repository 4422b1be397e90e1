using System.Text.Json;
using Ashyq.Registry.Core.Spreadsheets;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Api;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Lists;

/// <summary>
/// A list item as the JSON API and the JSON download give it: codes, not names. Id is the business's
/// public identifier (/business/{id}); Bin its number as the public sees it, an individual's IIN masked.
/// </summary>
public sealed record ApiListItem(
    string Id, string Bin, string Name, string Category, string? District, string? Address, DateOnly? JoinedOn,
    int Scans, int FlaggedVisitors, string Status, string? Reason, string? ExclusionSource)
{
    public static ApiListItem From(ListItem item) => new(
        item.Id, item.Number, item.Name, item.CategoryCode, item.DistrictCode, item.Address, item.JoinedOn,
        item.Scans, item.FlaggedVisitors, item.Status, item.Reason, item.ExclusionSource);
}

/// <summary>
/// A list of a published week written out as CSV, XLSX or JSON while it is read from the database,
/// so a list of any length never sits in memory whole.
/// </summary>
public sealed class ListDownload(NpgsqlDataSource dataSource, ListFilter filter, PublicFacts facts, string format, int exclusionWeeks)
    : IActionResult
{
    private static readonly string[] Formats = ["csv", "xlsx", "json"];

    public static bool IsFormat(string format) => Formats.Contains(format, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A text a spreadsheet would run as a formula (or that starts with a control character) gets a
    /// leading quote, so that it is shown as the text it is. A signed plain number (-3, +12,5) is no
    /// formula: a spreadsheet reads it as the number it is, so it is left as read.
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsSignedNumber(text) ? "'" + text : text;

    private static bool IsSignedNumber(string text)
    {
        if (text.Length < 2 || text[0] is not ('+' or '-'))
            return false;
        var digits = text.AsSpan(1);
        var separator = digits.IndexOfAny('.', ',');
        if (separator >= 0)
        {
            var fraction = digits[(separator + 1)..];
            if (fraction.Length == 0 || fraction.ContainsAnyExceptInRange('0', '9'))
                return false;
            digits = digits[..separator];
        }
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        var texts = context.HttpContext.RequestServices.GetRequiredService<Texts>();
        var fileName = $"ashyq-{filter.Kind.Code()}-{WeekDates.ToText(filter.Week)}.{format}";
        response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        var week = facts.Find(filter.Week) ?? throw new InvalidOperationException($"The week {WeekDates.ToText(filter.Week)} is not published.");
        Provenance.Describe(response, week);
        var rows = ListQuery.StreamAsync(dataSource, filter, cancellationToken);

        switch (format)
        {
            case "csv":
                response.ContentType = "text/csv; charset=utf-8";
                await WriteCsvAsync(response.Body, texts, rows, cancellationToken);
                break;
            case "xlsx":
                response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                await WriteXlsxAsync(response.Body, texts, week, context.HttpContext.SiteAddress(), rows, cancellationToken);
                break;
            default:
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(
                    response.Body,
                    new ListDownloadDocument(week.Key, week.Key, week.PublishedAt, week.SourceSha256, filter.Kind.Code(), Items(rows)),
                    PublicJson.Options,
                    cancellationToken);
                break;
        }
    }

    private static async IAsyncEnumerable<ApiListItem> Items(IAsyncEnumerable<ListItem> rows)
    {
        await foreach (var row in rows)
            yield return ApiListItem.From(row);
    }

    /// <summary>The CSV and XLSX column names, in the request's language; the data dictionary (/data) lists the same.</summary>
    public static string[] Header(Texts texts) =>
    [
        texts["common.week"], texts["common.bin"], texts["common.name"], texts["common.category"], texts["common.district"],
        texts["common.address"], texts["common.joinedOn"], texts["common.scans"], texts["common.flagged"],
        texts["common.status"], texts["common.reason"], texts["common.source"],
    ];

    private object?[] Cells(Texts texts, ListItem item) => Cells(texts, facts, exclusionWeeks, filter.Week, item);

    /// <summary>A row's cells as the CSV and XLSX downloads write them, names in the request's language, texts defused.</summary>
    internal static object?[] Cells(Texts texts, PublicFacts facts, int exclusionWeeks, DateOnly week, ListItem item)
    {
        var language = Languages.Current;
        return
        [
            week, item.Number, Neutralise(item.Name), Neutralise(facts.CategoryName(item.CategoryCode, language)),
            facts.DistrictName(item.DistrictCode, language) is { } district ? Neutralise(district) : null,
            item.Address is null ? null : Neutralise(item.Address), item.JoinedOn, item.Scans, item.FlaggedVisitors,
            Wording.Status(texts, item.Status),
            Wording.Reason(texts, item.Reason, item.ExclusionSource, exclusionWeeks) is { } reason ? Neutralise(reason) : null,
            Wording.Source(texts, item.ExclusionSource, exclusionWeeks),
        ];
    }

    private async Task WriteCsvAsync(Stream body, Texts texts, IAsyncEnumerable<ListItem> rows, CancellationToken cancellationToken)
    {
        await using var csv = new CsvDownload(body);
        await csv.RowAsync(Header(texts));
        await foreach (var row in rows.WithCancellation(cancellationToken))
            await csv.RowAsync(CsvCells(Cells(texts, row)));
    }

    internal static string?[] CsvCells(object?[] cells) =>
        cells.Select(cell => cell switch
        {
            null => null,
            DateOnly date => WeekDates.ToText(date),
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString(),
        }).ToArray();

    private async Task WriteXlsxAsync(Stream body, Texts texts, PublishedWeek week, string site, IAsyncEnumerable<ListItem> rows, CancellationToken cancellationToken)
    {
        // The zip archive writes synchronously; the buffer takes those writes (spilling to a temporary
        // file past a small threshold) and is then copied to the response asynchronously.
        await using var buffer = new FileBufferingWriteStream();
        await using (var sheet = new XlsxWriter(buffer, SheetName(), AboutSheetName, AboutRows(texts, week, site)))
        {
            sheet.WriteRow(Header(texts));
            await foreach (var row in rows.WithCancellation(cancellationToken))
                sheet.WriteRow(Cells(texts, row));
        }
        await buffer.DrainBufferAsync(body, cancellationToken);
    }

    private string SheetName() => $"{filter.Kind.Code()} {WeekDates.ToText(filter.Week)}";

    /// <summary>The workbook's second sheet: where its figures come from, the facts the CSV gives as headers.</summary>
    public const string AboutSheetName = "about";

    private static object?[][] AboutRows(Texts texts, PublishedWeek week, string site) =>
    [
        [texts["data.about.registry"], texts["data.registryName"]],
        [Provenance.WeekHeader, week.Key],
        [Provenance.PublishedAtHeader, Provenance.Moment(week.PublishedAt)],
        [Provenance.SourceSha256Header, week.SourceSha256],
        [texts["data.about.licence"], ApiDocument.LicenceName + " " + ApiDocument.LicenceUrl],
        [texts["data.about.dictionary"], site + "/data"],
    ];

}

/// <summary>The JSON download: where its rows come from (week, publishedAt, sourceSha256), which list, then the rows.</summary>
public sealed record ListDownloadDocument(
    string Week, string WeekStart, DateTimeOffset PublishedAt, string SourceSha256, string Kind, IAsyncEnumerable<ApiListItem> Items);
