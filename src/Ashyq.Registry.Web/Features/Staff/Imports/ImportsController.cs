using System.Data;
using System.Globalization;
using System.Text.Json;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <summary>Uploading a weekly export, following its load, and reading its outcome.</summary>
[Route("staff/imports")]
public sealed partial class ImportsController(
    RegistryDbContext db,
    NpgsqlDataSource dataSource,
    ImportService imports,
    ImportQueue queue,
    IOptions<RegistryOptions> options,
    IAntiforgery antiforgery,
    InRequestFileReads inRequestReads,
    Localization.Texts texts,
    TimeProvider clock) : StaffController
{
    public const int PageSize = 50;
    public const int ShownRowErrors = 1000;
    public const int ShownRowWarnings = 200;
    public const int ShownFileMessages = 100;

    [HttpGet("/staff")]
    public IActionResult Home() => Redirect("/staff/imports");

    [HttpGet("")]
    public async Task<IActionResult> Index(int page = 1)
    {
        page = StaffPaging.Clamp(page, PageSize);
        var rows = await db.Imports.AsNoTracking()
            .OrderByDescending(i => i.Id)
            .Skip((page - 1) * PageSize)
            .Take(PageSize + 1)
            .Select(i => new ImportListRow(i.Id, i.UploadedBy, i.UploadedAt, i.WeekStart, i.FileName, i.Sha256, i.State,
                i.RowsRead, i.RowsLoaded, i.RowsRejected, i.Warnings, i.Error, i.DuplicateOf, i.Source,
                i.State == ImportStates.Failed && !db.ImportMessages.Any(m =>
                    m.ImportId == i.Id && m.Severity == "file_error" && !RetryableFileErrors.Contains(m.Code))))
            .ToListAsync(HttpContext.RequestAborted);
        // A refused file's reason in the reader's language: its first file error, said from its code and values.
        var failed = rows.Where(r => r.State == ImportStates.Failed).Select(r => r.Id).ToList();
        var firstErrors = (await db.ImportMessages.AsNoTracking()
                .Where(m => failed.Contains(m.ImportId) && m.Severity == "file_error")
                .OrderBy(m => m.Seq)
                .ToListAsync(HttpContext.RequestAborted))
            .GroupBy(m => m.ImportId)
            .ToDictionary(g => g.Key, g => Say(ToRow(g.First()), texts));
        var shown = rows.Take(PageSize).Select(r => firstErrors.TryGetValue(r.Id, out var said) ? r with { Error = said } : r).ToList();
        return View(new ImportList(shown, page, rows.Count > PageSize));
    }

    [HttpGet("new")]
    public IActionResult New() => View(NewForm());

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Show(long id, [FromServices] WeekReplacements replacements)
    {
        var import = await db.Imports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, HttpContext.RequestAborted);
        if (import is null)
            return NotFound();
        var week = await db.Weeks.AsNoTracking()
            .Where(w => w.WeekStart == import.WeekStart)
            .Select(w => new { w.Status, w.ImportId })
            .FirstOrDefaultAsync(HttpContext.RequestAborted);
        var expectedRows = await db.Imports.AsNoTracking()
            .Where(i => i.Id < id && i.State == ImportStates.Loaded)
            .OrderByDescending(i => i.Id)
            .Select(i => (int?)i.RowsRead)
            .FirstOrDefaultAsync(HttpContext.RequestAborted);

        var messages = db.ImportMessages.AsNoTracking().Where(m => m.ImportId == id);
        var bySeverity = await messages.GroupBy(m => m.Severity)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, HttpContext.RequestAborted);
        var fileMessages = await messages.Where(m => m.Severity == "file_error" || m.Severity == "file_warning")
            .OrderBy(m => m.Seq).Take(ShownFileMessages).Select(m => ToRow(m)).ToListAsync(HttpContext.RequestAborted);
        var rowErrors = await messages.Where(m => m.Severity == "row_error")
            .OrderBy(m => m.Seq).Take(ShownRowErrors).Select(m => ToRow(m)).ToListAsync(HttpContext.RequestAborted);
        var rowWarnings = await messages.Where(m => m.Severity == "row_warning")
            .OrderBy(m => m.Seq).Take(ShownRowWarnings).Select(m => ToRow(m)).ToListAsync(HttpContext.RequestAborted);

        return View(new ImportPage(import, week?.Status, week?.ImportId == id, expectedRows, bySeverity,
            fileMessages, rowErrors, rowWarnings)
        {
            CanRetry = await CanRetryAsync(id),
            IsWaitingReplacement = week?.Status == WeekStatuses.Published
                && (await replacements.PendingAsync(import.WeekStart, HttpContext.RequestAborted))?.ImportId == id,
        });
    }

    /// <summary>What the progress script polls: rows read so far, and whether the load has finished.</summary>
    [HttpGet("{id:long}/progress")]
    public async Task<IActionResult> Progress(long id)
    {
        var progress = await db.Imports.AsNoTracking()
            .Where(i => i.Id == id)
            .Select(i => new { i.State, i.RowsRead })
            .FirstOrDefaultAsync(HttpContext.RequestAborted);
        if (progress is null)
            return NotFound();
        return Json(new ImportProgress(progress.State, progress.RowsRead, ImportPage.IsFinished(progress.State)));
    }

    [HttpGet("{id:long}/messages.csv")]
    public async Task<IActionResult> Messages(long id)
    {
        if (!await db.Imports.AnyAsync(i => i.Id == id, HttpContext.RequestAborted))
            return NotFound();
        CsvDownload.Start(Response, $"import-{id}-messages.csv");
        await using var csv = new CsvDownload(Response.Body);
        await csv.RowAsync(T("staff.csv.severity"), T("staff.csv.code"), T("staff.csv.line"), T("staff.csv.column"),
            T("staff.csv.value"), T("staff.csv.bin"), T("staff.csv.message"));
        await using var command = dataSource.CreateCommand("""
            SELECT severity, code, line_no, column_name, value, bin, message, args::text
            FROM import_messages WHERE import_id = $1 ORDER BY seq
            """);
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(HttpContext.RequestAborted);
        while (await reader.ReadAsync(HttpContext.RequestAborted))
        {
            var message = new ImportMessageRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            // The staff member's language, from the same codes and values the report page shows.
            await csv.RowAsync(message.Severity, message.Code, message.LineNo?.ToString(CultureInfo.InvariantCulture), message.Column,
                message.Value, message.Bin, SayAny(message, texts));
        }
        return new EmptyResult();
    }

    /// <summary>The file exactly as uploaded (a duplicate's bytes are its original's).</summary>
    [HttpGet("{id:long}/file")]
    public async Task<IActionResult> Original(long id)
    {
        var import = await db.Imports.AsNoTracking()
            .Where(i => i.Id == id)
            .Select(i => new { i.FileName, i.DuplicateOf })
            .FirstOrDefaultAsync(HttpContext.RequestAborted);
        if (import is null)
            return NotFound();
        // Copied to a temporary file first, so that a missing file is still a clean 404 and the
        // response never starts before the database has given up the whole file.
        await using var buffer = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        if (!await imports.CopyStoredFileAsync(import.DuplicateOf ?? id, buffer, HttpContext.RequestAborted))
            return NotFound();
        buffer.Position = 0;
        Response.ContentType = "application/octet-stream";
        Response.ContentLength = buffer.Length;
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = import.FileName, DispositionType = "attachment" }.ToString();
        await buffer.CopyToAsync(Response.Body, HttpContext.RequestAborted);
        return new EmptyResult();
    }

    /// <summary>
    /// File errors that loading the same file again may not meet: the reading ran out of time on a busy
    /// server. Every other file error is the file's own and comes back on every attempt.
    /// </summary>
    public static readonly string[] RetryableFileErrors = ["read_timeout"];

    /// <summary>
    /// A failed import is worth retrying when it failed for a passing reason: its attempts ran out on the
    /// database or the disk (no file error recorded), or its reading ran out of time; a refused file is not.
    /// </summary>
    private async Task<bool> CanRetryAsync(long id) =>
        await db.Imports.AnyAsync(i => i.Id == id && i.State == ImportStates.Failed, HttpContext.RequestAborted)
        && !await db.ImportMessages.AnyAsync(m => m.ImportId == id && m.Severity == "file_error" && !RetryableFileErrors.Contains(m.Code),
            HttpContext.RequestAborted);

    [HttpPost("{id:long}/retry")]
    public async Task<IActionResult> Retry(long id)
    {
        if (!await CanRetryAsync(id) || !await imports.RequeueAsync(id, Actor, ClientIp, HttpContext.RequestAborted))
            return Conflict();
        await queue.HandOverAsync(id, HttpContext.RequestAborted);
        return Redirect($"/staff/imports/{id}");
    }

    private static ImportMessageRow ToRow(ImportMessage m) => new(m.Severity, m.Code, m.LineNo, m.ColumnName, m.Value, m.Bin, m.Message, m.Args);

    /// <summary>
    /// A file message in the reader's language: the text of its code (staff.file-message.CODE, or CODE.KIND) with its
    /// stored values put into their named placeholders. A message stored before its values were kept, or one whose
    /// values do not fill its text, is shown as the pipeline wrote it.
    /// </summary>
    public static string Say(ImportMessageRow message, Localization.Texts texts)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(texts);
        if (message.Args is null)
            return message.Message;
        Dictionary<string, string>? args;
        try
        {
            args = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Args);
        }
        catch (JsonException)
        {
            return message.Message;
        }
        if (args is null)
            return message.Message;
        var key = FileMessageKeyPrefix + ExportMessageCodes.FileTextName(message.Code, args);
        // Counts and sizes are stored as plain digits and read in the reader's way (20 000, 20,000).
        var shown = args.ToDictionary(a => a.Key,
            a => long.TryParse(a.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number.ToString("N0", CultureInfo.CurrentCulture) : a.Value,
            StringComparer.Ordinal);
        return texts.Has(key) && RowMessageText.Fill(texts[key], shown) is { } text ? text : message.Message;
    }

    public const string FileMessageKeyPrefix = "staff.file-message.";

    /// <summary>A message of either kind in the reader's language.</summary>
    public static string SayAny(ImportMessageRow message, Localization.Texts texts)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Severity is "row_error" or "row_warning" ? RowMessageText.Say(message, texts) : Say(message, texts);
    }

    private string T(string key, params object?[] args) => texts.Format(key, args);
}
