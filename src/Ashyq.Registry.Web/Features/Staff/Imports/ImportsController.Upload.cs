using System.Globalization;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <summary>Receiving an upload: the streamed form read, its week checked, the file stored and queued, or the form shown again with the problem.</summary>
public sealed partial class ImportsController
{
    /// <summary>Room for the form's other fields and the multipart framing around the file.</summary>
    private const long FormOverheadBytes = 64 * 1024;

    [HttpPost("")]
    [IgnoreAntiforgeryToken] // checked below once the streamed form is read: the automatic check would buffer the whole file first
    public async Task<IActionResult> Upload()
    {
        var limit = options.Value.MaxUploadBytes;
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit + FormOverheadBytes;

        ImportUpload upload;
        try
        {
            upload = await ImportUpload.ReadAsync(Request, options.Value, HttpContext.RequestAborted);
        }
        catch (UploadTooLargeException)
        {
            return UploadProblem(StatusCodes.Status413PayloadTooLarge, T("staff.upload.too-large", Size(limit)), "");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return UploadProblem(StatusCodes.Status413PayloadTooLarge, T("staff.upload.too-large", Size(limit)), "");
        }
        catch (BadHttpRequestException e) when (e.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            return UploadProblem(StatusCodes.Status400BadRequest, T("staff.upload.malformed"), "");
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            // A body cut short or framed wrongly: the multipart reader says so with an I/O error.
            return UploadProblem(StatusCodes.Status400BadRequest, T("staff.upload.malformed"), "");
        }

        using (upload)
        {
            Request.Form = new FormCollection(upload.Fields);
            try
            {
                await antiforgery.ValidateRequestAsync(HttpContext);
            }
            catch (AntiforgeryValidationException)
            {
                return BadRequest();
            }

            var weekText = upload.Field("WeekStart");
            if (upload.FileName is null)
                return UploadProblem(StatusCodes.Status400BadRequest, T("staff.upload.no-file"), weekText);

            DateOnly week;
            if (weekText.Length > 0)
            {
                if (!WeekDates.TryParse(weekText, out week))
                    return UploadProblem(StatusCodes.Status400BadRequest, T("staff.upload.week-invalid"), weekText);
            }
            else if (await ReadTitleWeekAsync(upload) is { } fromTitle)
            {
                week = fromTitle;
            }
            else
            {
                return UploadProblem(StatusCodes.Status400BadRequest, T("staff.upload.week-unknown"), weekText);
            }
            var maxWeeksAhead = options.Value.MaxWeeksAhead;
            var today = WeekDates.Today(clock);
            var weekProblem = WeekDates.Check(week, today, maxWeeksAhead) switch
            {
                WeekCheck.NotMonday => T("staff.upload.week-not-monday", Day(week)),
                WeekCheck.BeforeFirstWeek => T("staff.upload.week-too-early", Day(week), Day(WeekDates.FirstWeek)),
                WeekCheck.TooFarAhead => T("staff.upload.week-too-late", Day(week), Day(WeekDates.LastWeek(today, maxWeeksAhead))),
                _ => null,
            };
            if (weekProblem is not null)
                return UploadProblem(StatusCodes.Status400BadRequest, weekProblem, weekText);

            StoredImport stored;
            await using (var file = System.IO.File.OpenRead(upload.SpoolPath))
            {
                stored = await queue.StoreAndQueueAsync(file, upload.FileName, week, Actor, ImportSources.Upload, ClientIp, HttpContext.RequestAborted);
            }
            return Redirect($"/staff/imports/{stored.Id}");
        }
    }

    /// <summary>The title line's week, read under the same bounds as an import and a few uploads at a time.</summary>
    private Task<DateOnly?> ReadTitleWeekAsync(ImportUpload upload)
    {
        var limits = ExportLimits.From(options.Value);
        return inRequestReads.RunAsync<DateOnly?>(() =>
        {
            try
            {
                using var file = ExportFile.Open(upload.SpoolPath, upload.FileName!, new CategoryMatcher([]), limits);
                return file.TitlePeriodStart;
            }
            catch (ExportFileException)
            {
                return null;
            }
        }, HttpContext.RequestAborted);
    }

    private static string Day(DateOnly day) => day.ToString("d", CultureInfo.CurrentCulture);

    private ViewResult UploadProblem(int status, string problem, string weekText)
    {
        Response.StatusCode = status;
        return View(nameof(New), NewForm() with { WeekStart = weekText, Problem = problem });
    }

    private NewImportForm NewForm() => new("", null, Size(options.Value.MaxUploadBytes));

    private string Size(long bytes) => bytes >= 1024 * 1024
        ? T("staff.size.mb", (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.CurrentCulture))
        : T("staff.size.kb", (bytes / 1024.0).ToString("0.#", CultureInfo.CurrentCulture));
}
