using System.Diagnostics.CodeAnalysis;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Ashyq.Registry.Web.Features.Shared;

public sealed record WeekWithdrawnModel(WithdrawnWeek Week, PublicFacts Facts);

public static class PublicPages
{
    /// <summary>The page shows this week: it says when it last changed, and a past week's page is kept longer.</summary>
    public static void ShowsWeek(this ControllerBase controller, PublicFacts facts, PublishedWeek week)
    {
        if (facts.LastChanged is { } changed)
            HttpCaching.ShowsWeek(controller.Response, changed, pastWeek: week.WeekStart != facts.Latest?.WeekStart);
    }

    /// <summary>
    /// The page shows what the published weeks say without being the page of one week (a business, a search,
    /// the site's feed): it says when that last changed, and is kept for the public lifetime.
    /// </summary>
    /// <param name="alsoChanged">A later change of this page alone (a business's published reply or review), if any.</param>
    public static void ShowsPublishedData(this ControllerBase controller, PublicFacts facts, DateTimeOffset? alsoChanged = null)
    {
        var changed = facts.LastChanged is { } weeks && alsoChanged is { } own ? (weeks > own ? weeks : own) : facts.LastChanged ?? alsoChanged;
        if (changed is { } last)
            controller.Response.Headers.LastModified = last.ToUniversalTime().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How every page of one week opens: with nothing published and no week asked for, the page that says
    /// so; for a week asked for that is not published, <see cref="WeekNotFound"/>; otherwise the week to
    /// show, the latest when none was asked for. False gives the answer to return instead.
    /// </summary>
    public static bool TryFindWeek(this Controller controller, PublicFacts facts, string? requested,
        [NotNullWhen(true)] out PublishedWeek? week, [NotNullWhen(false)] out IActionResult? answer)
    {
        if (facts.Latest is null && string.IsNullOrWhiteSpace(requested))
        {
            week = null;
            answer = controller.View("NothingPublished");
            return false;
        }
        week = facts.Resolve(requested);
        if (week is null)
        {
            answer = controller.WeekNotFound(facts);
            return false;
        }
        answer = null;
        return true;
    }

    /// <summary>
    /// The page for a week that is malformed, unknown or not published: 404, with the weeks that are; for a
    /// week that was withdrawn, 410 Gone with the date and reason of the withdrawal.
    /// </summary>
    public static ViewResult WeekNotFound(this Controller controller, PublicFacts facts)
    {
        if (facts.FindWithdrawn(controller.Request.Query["week"]) is { } withdrawn)
        {
            var gone = controller.View("WeekWithdrawn", new WeekWithdrawnModel(withdrawn, facts));
            gone.StatusCode = StatusCodes.Status410Gone;
            return gone;
        }
        var view = controller.View("WeekNotFound", facts);
        view.StatusCode = StatusCodes.Status404NotFound;
        return view;
    }
}
