using System.ComponentModel;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Api;

/// <summary>The published weeks and their figures. Drafts and withdrawn weeks do not exist here.</summary>
[ApiController]
[Tags("weeks")]
[Route("api/v1/weeks")]
[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class WeeksApiController(RegistryDbContext db, IOptions<RegistryOptions> options, TimeProvider clock) : ControllerBase
{
    private const string Published = WeekStatuses.Published;

    [HttpGet]
    [EndpointName("listWeeks")]
    [EndpointSummary("Every published week, newest first")]
    [ProducesResponseType<WeekList>(StatusCodes.Status200OK, "application/json")]
    public async Task<WeekList> List(CancellationToken cancellationToken)
    {
        var weeks = await db.Weeks.AsNoTracking()
            .Where(w => w.Status == Published)
            .OrderByDescending(w => w.WeekStart)
            .Select(w => new { w.WeekStart, w.PublishedAt, w.SourceSha256, w.Participants, w.Leaders, w.Outsiders, w.Excluded, FlaggedVisitors = w.FlaggedVisitorsReported ? w.FlaggedVisitors : (long?)null })
            .ToListAsync(cancellationToken);
        return new WeekList(weeks
            .Select(w => new WeekSummary(
                WeekDates.ToText(w.WeekStart), w.WeekStart, WeekDates.EndOf(w.WeekStart), w.PublishedAt!.Value, w.SourceSha256,
                w.Participants, w.Leaders, w.Outsiders, w.Excluded, w.FlaggedVisitors))
            .ToList());
    }

    [HttpGet("{weekStart}")]
    [EndpointName("getWeek")]
    [EndpointSummary("One published week with its participants by category and by district")]
    [ProducesResponseType<WeekDetail>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<ActionResult<WeekDetail>> Get(
        [Description("The Monday the week starts on, as yyyy-MM-dd")] string weekStart, CancellationToken cancellationToken)
    {
        if (!this.TryRead(weekStart, options.Value, clock, out var start, out var problem))
            return problem;

        var week = await db.Weeks.AsNoTracking()
            .Where(w => w.WeekStart == start && w.Status == Published)
            .Select(w => new { w.PublishedAt, w.SourceSha256, w.Participants, w.Leaders, w.Outsiders, w.Excluded, FlaggedVisitors = w.FlaggedVisitorsReported ? w.FlaggedVisitors : (long?)null })
            .SingleOrDefaultAsync(cancellationToken);
        if (week is null && await db.Weeks.AsNoTracking()
                .Where(w => w.WeekStart == start && w.Status == "withdrawn")
                .Select(w => new { w.WithdrawnAt, w.LoadedAt, w.WithdrawReason })
                .SingleOrDefaultAsync(cancellationToken) is { } withdrawn)
            return this.WeekWithdrawn(new WithdrawnWeek(start, withdrawn.WithdrawnAt ?? withdrawn.LoadedAt, withdrawn.WithdrawReason ?? ""));
        if (week is null)
            return Problem(statusCode: StatusCodes.Status404NotFound, title: "Week not published",
                detail: $"No week starting on {WeekDates.ToText(start)} is published.");

        var counts = await db.WeekCounts.AsNoTracking()
            .Where(c => c.WeekStart == start)
            .OrderByDescending(c => c.Participants).ThenBy(c => c.Code)
            .Select(c => new { c.Dimension, c.Code, c.Participants })
            .ToListAsync(cancellationToken);

        return new WeekDetail(
            WeekDates.ToText(start), start, WeekDates.EndOf(start), week.PublishedAt!.Value, week.SourceSha256, week.Participants, week.Leaders, week.Outsiders, week.Excluded, week.FlaggedVisitors,
            counts.Where(c => c.Dimension == "category").Select(c => new CodeCount(c.Code, c.Participants)).ToList(),
            counts.Where(c => c.Dimension == "district").Select(c => new CodeCount(c.Code, c.Participants)).ToList());
    }
}

public sealed record WeekList(IReadOnlyList<WeekSummary> Items);

/// <summary>A published week's totals. FlaggedVisitors is null when the week's file had no flagged-visitors column (not reported, not zero).</summary>
public sealed record WeekSummary(
    [property: Description(Provenance.Week)] string Week, DateOnly WeekStart, DateOnly WeekEnd,
    [property: Description(Provenance.PublishedAt)] DateTimeOffset PublishedAt,
    [property: Description(Provenance.SourceSha256)] string SourceSha256,
    int Participants, int Leaders, int Outsiders, int Excluded,
    [property: Description("Visitors found under a self-isolation order; null when the week's file had no flagged-visitors column (not reported, which is not zero)")] long? FlaggedVisitors);

/// <summary>A published week's totals and counts. FlaggedVisitors is null when the week's file had no flagged-visitors column.</summary>
public sealed record WeekDetail(
    [property: Description(Provenance.Week)] string Week, DateOnly WeekStart, DateOnly WeekEnd,
    [property: Description(Provenance.PublishedAt)] DateTimeOffset PublishedAt,
    [property: Description(Provenance.SourceSha256)] string SourceSha256,
    int Participants, int Leaders, int Outsiders, int Excluded,
    [property: Description("Visitors found under a self-isolation order; null when the week's file had no flagged-visitors column (not reported, which is not zero)")] long? FlaggedVisitors,
    IReadOnlyList<CodeCount> Categories, IReadOnlyList<CodeCount> Districts);

/// <summary>Participants counted under one category or district code.</summary>
public sealed record CodeCount(string Code, int Participants);
