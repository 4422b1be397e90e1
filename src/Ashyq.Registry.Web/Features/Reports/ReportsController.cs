using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Reports;

/// <summary>A year of the index with its quarters and months that have published weeks, newest first.</summary>
public sealed record ReportYear(ReportPeriod Year, int Weeks, IReadOnlyList<ReportPeriod> Quarters, IReadOnlyList<ReportPeriod> Months);

public sealed record ReportsIndexModel(IReadOnlyList<ReportYear> Years)
{
    public static ReportsIndexModel From(PublicFacts facts) => new([.. facts.Weeks
        .GroupBy(w => w.WeekStart.Year)
        .OrderByDescending(g => g.Key)
        .Select(g => new ReportYear(
            ReportPeriod.YearOf(g.First().WeekStart), g.Count(),
            [.. g.Select(w => ReportPeriod.QuarterOf(w.WeekStart)).Distinct().OrderByDescending(p => p.Number)],
            [.. g.Select(w => ReportPeriod.MonthOf(w.WeekStart)).Distinct().OrderByDescending(p => p.Number)]))]);
}

/// <summary>Why a report's address shows no report: it names no period, a year out of bounds, or a period with no published week.</summary>
public sealed record ReportNotFoundModel(string Reason, string Requested, ReportsIndexModel Index);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class ReportsController(
    NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, Texts texts,
    SiteTime time, TimeProvider clock) : Controller
{
    [HttpGet("/reports")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts);
        return View(ReportsIndexModel.From(facts));
    }

    /// <summary>/reports/2021-07, /reports/2021-Q3, /reports/2021, each also as .xlsx and .pdf.</summary>
    [HttpGet("/reports/{name}")]
    public async Task<IActionResult> Show(string name, CancellationToken cancellationToken)
    {
        var format = Path.GetExtension(name) is ".xlsx" or ".pdf" ? Path.GetExtension(name)[1..] : null;
        var key = format is null ? name : name[..^(format.Length + 1)];
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (!ReportPeriod.TryParse(key, out var period))
            return NotFound(facts, "reports.notFound.malformed", key);
        if (period.Year < ReportPeriod.FirstYear || period.Year > WeekDates.Today(clock).Year + 1)
            return NotFound(facts, "reports.notFound.year", key);
        if (ReportQuery.WeeksOf(facts, period).Count == 0)
            return NotFound(facts, "reports.notFound.empty", key);

        var report = await ReportQuery.LoadAsync(dataSource, facts, period, options.Value.ExclusionWeeks, texts, time, cancellationToken);
        this.ShowsPublishedData(facts);
        return format switch
        {
            "xlsx" => Download(await ReportWorkbook.WriteAsync(report, texts, cancellationToken), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", period, format),
            "pdf" => Download(ReportDocument.Write(report, texts, time.Format(clock.GetUtcNow(), "d MMMM yyyy, HH:mm")), "application/pdf", period, format),
            _ => View(report),
        };
    }

    private FileContentResult Download(byte[] content, string contentType, ReportPeriod period, string format)
    {
        Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"ashyq-report-{period.Key}-{Languages.Current}.{format}",
        }.ToString();
        return File(content, contentType);
    }

    private ViewResult NotFound(PublicFacts facts, string reason, string requested)
    {
        var view = View("ReportNotFound", new ReportNotFoundModel(reason, requested, ReportsIndexModel.From(facts)));
        view.StatusCode = StatusCodes.Status404NotFound;
        return view;
    }
}
