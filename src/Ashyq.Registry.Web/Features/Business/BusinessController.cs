using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Business;

public sealed record BusinessPageModel(BusinessHistory History, PublicFacts Facts, int ExclusionWeeks)
{
    public BusinessWeek Current => History.Current;

    public BusinessProfile Profile => History.Profile;

    /// <summary>True when the latest published week does not list the business.</summary>
    public bool MissingFromLatest => Facts.Latest is { } latest && latest.WeekStart != Current.WeekStart;

    /// <summary>Every published week from its first listing on, with its row or null where that week did not list it.</summary>
    public IEnumerable<(PublishedWeek Week, BusinessWeek? Row)> Timeline()
    {
        var first = History.Weeks[^1].WeekStart;
        foreach (var week in Facts.Weeks.Where(w => w.WeekStart >= first))
            yield return (week, History.Weeks.FirstOrDefault(r => r.WeekStart == week.WeekStart));
    }
}

public sealed record BusinessNotFoundModel(string Query);

/// <summary>
/// One published week of a business, at its own address, with what a citation needs: the permalink, when the
/// week was published and the day the page was read.
/// </summary>
public sealed record BusinessWeekPageModel(BusinessHistory History, BusinessWeek Week, BusinessProfile Profile, PublicFacts Facts, int ExclusionWeeks, string Permalink, DateOnly RetrievedOn)
{
    public IEnumerable<BusinessReply> Replies => History.RepliesOn(Week.WeekStart);
}

/// <summary>A week of a business that cannot be shown: a malformed date, a week not listing it, or one withdrawn (then Withdrawn is set).</summary>
public sealed record BusinessWeekMissingModel(string Id, string Name, string Week, bool Malformed, WithdrawnWeek? Withdrawn);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class BusinessController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    /// <summary>A business's page under its public identifier; an individual's full IIN moves there.</summary>
    [HttpGet("/business/{bin}")]
    public async Task<IActionResult> Show(string bin, CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(dataSource, bin, cancellationToken);
        switch (lookup.Outcome)
        {
            case BusinessLookupOutcome.Malformed:
                return StatusView("MalformedBin", new BusinessNotFoundModel(bin), StatusCodes.Status400BadRequest);
            case BusinessLookupOutcome.Moved:
                return RedirectPermanent($"/business/{lookup.Id}");
        }
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(dataSource, lookup, cancellationToken) : null;
        if (history is null)
            return StatusView("UnknownBin", new BusinessNotFoundModel(lookup.Shown), StatusCodes.Status404NotFound);
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts, history.StatementsChangedAt);
        return View(new BusinessPageModel(history, facts, options.Value.ExclusionWeeks));
    }

    /// <summary>
    /// A business's week at its own address, to be cited: another day of the week moves to its Monday, a full
    /// IIN to the public identifier; a week not listing the business is 404, a withdrawn one 410, a malformed date 400.
    /// </summary>
    [HttpGet("/business/{bin}/{week}")]
    public async Task<IActionResult> Week(string bin, string week, [FromServices] SiteTime time, [FromServices] TimeProvider clock, CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(dataSource, bin, cancellationToken);
        if (lookup.Outcome == BusinessLookupOutcome.Malformed)
            return StatusView("MalformedBin", new BusinessNotFoundModel(bin), StatusCodes.Status400BadRequest);
        var dated = WeekDates.TryParse(week, out var day);
        if (dated && (lookup.Outcome == BusinessLookupOutcome.Moved || day.DayOfWeek != DayOfWeek.Monday))
            return RedirectPermanent($"/business/{lookup.Id}/{WeekDates.ToText(WeekDates.MondayOf(day))}");
        if (lookup.Outcome == BusinessLookupOutcome.Moved)
            return RedirectPermanent($"/business/{lookup.Id}/{Uri.EscapeDataString(week)}");
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(dataSource, lookup, cancellationToken) : null;
        if (history is null)
            return StatusView("UnknownBin", new BusinessNotFoundModel(lookup.Shown), StatusCodes.Status404NotFound);
        if (!dated)
            return StatusView("WeekMissing", new BusinessWeekMissingModel(history.Id, history.Profile.Name, week, Malformed: true, null), StatusCodes.Status400BadRequest);
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts, history.StatementsChangedAt);
        if (facts.Withdrawn.FirstOrDefault(w => w.WeekStart == day) is { } withdrawn)
            return StatusView("WeekMissing", new BusinessWeekMissingModel(history.Id, history.Profile.Name, week, Malformed: false, withdrawn), StatusCodes.Status410Gone);
        if (history.Weeks.FirstOrDefault(w => w.WeekStart == day) is not { } row)
            return StatusView("WeekMissing", new BusinessWeekMissingModel(history.Id, history.Profile.Name, week, Malformed: false, null), StatusCodes.Status404NotFound);
        var profile = await BusinessQuery.WeekProfileAsync(dataSource, lookup.Bin, day, cancellationToken) ?? history.Profile;
        var permalink = $"{HttpContext.SiteAddress()}/business/{history.Id}/{WeekDates.ToText(day)}";
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), time.Zone).DateTime);
        return View(new BusinessWeekPageModel(history, row, profile, facts, options.Value.ExclusionWeeks, permalink, today));
    }

    [HttpGet("/business/{bin}/badge.svg")]
    [ApiExplorerSettings(IgnoreApi = false)]
    [Tags("badge")]
    [EndpointName("businessBadge")]
    [EndpointSummary("A small image of a business's current status, to put on its own site")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status301MovedPermanently)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Badge(
        [System.ComponentModel.Description("The business's public identifier, or its BIN")] string bin, [FromServices] Texts texts, CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(dataSource, bin, cancellationToken);
        switch (lookup.Outcome)
        {
            case BusinessLookupOutcome.Malformed:
                return NoStatusBadge(texts, "badge.malformed", StatusCodes.Status400BadRequest);
            case BusinessLookupOutcome.Moved:
                return RedirectPermanent($"/business/{lookup.Id}/badge.svg");
        }
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(dataSource, lookup, cancellationToken) : null;
        if (history is null)
            return NoStatusBadge(texts, "badge.unknown", StatusCodes.Status404NotFound);
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts, history.StatementsChangedAt);
        var status = StatusBadge.StatusText(texts, history, facts.Latest?.WeekStart, out var kind);
        var svg = StatusBadge.Render(texts["badge.label"], status, history.Current.Status, StatusBadge.Description(texts, history, status), kind);
        return Content(svg, BadgeType);
    }

    private const string BadgeType = "image/svg+xml; charset=utf-8";

    // An image on someone else's page shows words where an error page would show a broken image.
    private static ContentResult NoStatusBadge(Texts texts, string key, int statusCode)
    {
        var svg = StatusBadge.Render(texts["badge.label"], texts[key], "", texts[key], BadgeKind.NoStatus);
        return new ContentResult { Content = svg, ContentType = BadgeType, StatusCode = statusCode };
    }

    private ViewResult StatusView(string name, object model, int statusCode)
    {
        var view = View(name, model);
        view.StatusCode = statusCode;
        return view;
    }
}
