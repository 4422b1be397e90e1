using Ashyq.Registry.Core;
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
