using System.Globalization;
using System.Text.Json;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

/// <summary>
/// Open data in bulk: the whole published archive in one file per format, the release index and each
/// week's delta. Each is a file of the current data version (<see cref="OpenDataFiles"/>) sent from disk,
/// with a strong ETag (its SHA-256), Last-Modified and ranges; the output cache is left out, since the
/// file on disk already is the cache and would only be copied into memory. The files are read from the
/// ordinary pool: writing the archive is one long read, which would hold up the short reads that share a
/// connection of the multiplexed pool.
/// </summary>
public sealed class DataController(
    NpgsqlDataSource dataSource,
    OpenDataFiles files,
    Texts texts,
    IOptions<RegistryOptions> options,
    IOptions<HttpCacheOptions> cacheOptions) : Controller
{
    private int ExclusionWeeks => options.Value.ExclusionWeeks;

    [HttpGet("/data/archive.csv.gz")]
    public Task<IActionResult> ArchiveCsv(CancellationToken cancellationToken) =>
        ServeAsync($"archive-{Languages.Current}-{Rule}.csv.gz", "application/gzip", "ashyq-archive.csv.gz",
            (_, output, ct) => ArchiveDownload.WriteAsync(output, dataSource, texts, ArchiveDownload.Csv, ExclusionWeeks, ct), cancellationToken);

    [HttpGet("/data/archive.jsonl.gz")]
    public Task<IActionResult> ArchiveJsonLines(CancellationToken cancellationToken) =>
        ServeAsync("archive.jsonl.gz", "application/gzip", "ashyq-archive.jsonl.gz",
            (_, output, ct) => ArchiveDownload.WriteAsync(output, dataSource, texts, ArchiveDownload.JsonLines, ExclusionWeeks, ct), cancellationToken);

    [HttpGet("/data/releases.json")]
    public Task<IActionResult> Releases(CancellationToken cancellationToken)
    {
        var services = files.Services;
        var language = Languages.Current;
        // The XLSX downloads name the site's address on their about sheet: the configured one, or else the
        // address this request came to, as the downloads themselves do.
        var site = HttpContext.SiteAddress();
        return ServeAsync($"releases-{language}-{Rule}.json", "application/json; charset=utf-8", null, async (version, output, ct) =>
        {
            var document = await ReleasesQuery.LoadAsync(
                dataSource, services, site, version, ExclusionWeeks,
                (week, previous, format) => files.GetOrWriteAsync(version, DeltaName(week, format, language), language,
                    (stream, inner) => WeekDelta.WriteAsync(stream, dataSource, texts, week, previous, format, ExclusionWeeks, inner)),
                ct);
            await JsonSerializer.SerializeAsync(output, document, PublicJson.Options, ct);
        }, cancellationToken);
    }

    [HttpGet("/data/deltas/{week}.{format}")]
    public async Task<IActionResult> Delta(string week, string format, CancellationToken cancellationToken)
    {
        if (format is not (WeekDelta.Csv or WeekDelta.Json) || !WeekDates.TryParse(week, out var start) || WeekDates.ToText(start) != week)
            return NotFound();
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Withdrawn.FirstOrDefault(w => w.WeekStart == start) is { } withdrawn)
            return Plain(StatusCodes.Status410Gone, texts.Format("data.delta.withdrawn", Wording.WeekRange(withdrawn.WeekStart), withdrawn.Reason));
        if (facts.Find(start) is null)
            return Plain(StatusCodes.Status404NotFound, texts["data.delta.unknown"]);
        if (facts.Before(start) is not { } previous)
            return Plain(StatusCodes.Status404NotFound, texts["data.delta.first"]);
        var language = Languages.Current;
        return await ServeAsync(DeltaName(start, format, language),
            format == WeekDelta.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", $"ashyq-delta-{week}.{format}",
            (_, output, ct) => WeekDelta.WriteAsync(output, dataSource, texts, start, previous.WeekStart, format, ExclusionWeeks, ct), cancellationToken);
    }

    private string Rule => ExclusionWeeks.ToString(CultureInfo.InvariantCulture);

    // The JSON delta holds codes only and is one file for every language; the CSV names in the language asked for.
    private string DeltaName(DateOnly week, string format, string language) =>
        format == WeekDelta.Json ? $"delta-{WeekDates.ToText(week)}.json" : $"delta-{WeekDates.ToText(week)}-{language}-{Rule}.csv";

    private async Task<IActionResult> ServeAsync(
        string name, string contentType, string? downloadName, Func<string, Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var version = await files.CurrentVersionAsync(cancellationToken);
        StoredFile file;
        try
        {
            file = await files.GetAsync(version.Id, name, Languages.Current, (output, ct) => write(version.Id, output, ct), cancellationToken);
        }
        catch (TimeoutException)
        {
            Response.Headers.RetryAfter = files.Wait.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            return Plain(StatusCodes.Status503ServiceUnavailable, texts["data.busy"]);
        }

        Response.Headers.CacheControl = HttpCaching.PublicCacheControl(cacheOptions.Value);
        // What is sent depends on the language, which a cookie or Accept-Language may choose.
        Response.Headers.Append(HeaderNames.Vary, new Microsoft.Extensions.Primitives.StringValues([HeaderNames.AcceptLanguage, HeaderNames.Cookie]));
        return new PhysicalFileResult(file.Path, contentType)
        {
            FileDownloadName = downloadName,
            EntityTag = new EntityTagHeaderValue($"\"{file.Sha256}\""),
            LastModified = version.LastChanged,
            EnableRangeProcessing = true,
        };
    }

    private ContentResult Plain(int status, string text)
    {
        Response.Headers.CacheControl = HttpCaching.NoStore;
        return new ContentResult { StatusCode = status, Content = text, ContentType = "text/plain; charset=utf-8" };
    }
}
