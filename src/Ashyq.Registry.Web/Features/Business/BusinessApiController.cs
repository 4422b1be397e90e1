using System.ComponentModel;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Api;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Business;

/// <summary>A business's week. FlaggedVisitors is null when the week's file had no flagged-visitors column (not reported, which is not zero).</summary>
public sealed record ApiBusinessWeek(
    [property: Description(Provenance.Week)] string Week, string WeekStart,
    [property: Description(Provenance.PublishedAt)] DateTimeOffset PublishedAt,
    [property: Description(Provenance.SourceSha256)] string SourceSha256,
    string Status, int Scans, int? FlaggedVisitors, string? Reason, string? ExclusionSource);

/// <summary>
/// A statement the business sent about one week, published by staff as the business's own words: Verified is
/// always false, since the chamber has not checked it. Text is the statement as sent, to be shown as text.
/// </summary>
public sealed record ApiBusinessReply(string Week, string Text, string Author, string Role, DateTimeOffset Date, bool Verified);

/// <summary>
/// A business; Id is its public identifier, Bin its number as the public sees it (an individual's IIN masked).
/// UnderReview is true while staff review its status, since UnderReviewSince. Week, PublishedAt and
/// SourceSha256 are those of the latest published week listing it, which its current status is of.
/// </summary>
public sealed record ApiBusiness(
    [property: Description(Provenance.Week)] string Week,
    [property: Description(Provenance.PublishedAt)] DateTimeOffset PublishedAt,
    [property: Description(Provenance.SourceSha256)] string SourceSha256,
    string Id, string Bin, string Name, string Category, string? District, string? Address, string CurrentStatus, string LastListedWeek,
    bool UnderReview, DateTimeOffset? UnderReviewSince, IReadOnlyList<ApiBusinessWeek> History, IReadOnlyList<ApiBusinessReply> Replies);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
[ApiController]
[Tags("businesses")]
public sealed class BusinessApiController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource) : ControllerBase
{
    /// <summary>A business's current status and its history over the published weeks, newest first.</summary>
    [HttpGet("/api/v1/businesses/{bin}")]
    [EndpointName("getBusiness")]
    [EndpointSummary("A business's current status and its history over the published weeks")]
    [ProducesResponseType<ApiBusiness>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType(StatusCodes.Status301MovedPermanently)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(
        [System.ComponentModel.Description("The business's public identifier, or its BIN; an individual's full IIN redirects to the identifier")] string bin,
        CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(dataSource, bin, cancellationToken);
        switch (lookup.Outcome)
        {
            case BusinessLookupOutcome.Malformed:
                return Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed BIN",
                    detail: "A BIN is 12 digits with a valid check digit; an individual's business is also found by its public identifier.");
            case BusinessLookupOutcome.Moved:
                return RedirectPermanent($"/api/v1/businesses/{lookup.Id}");
        }
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(dataSource, lookup, cancellationToken) : null;
        if (history is null)
            return Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown BIN", detail: "No published week lists this BIN.");

        var current = history.Current;
        var profile = history.Profile;
        return Ok(new ApiBusiness(
            WeekDates.ToText(current.WeekStart), current.PublishedAt, current.SourceSha256,
            history.Id, history.Number, profile.Name, profile.CategoryCode, profile.DistrictCode, profile.Address, current.Status,
            WeekDates.ToText(current.WeekStart), history.UnderReviewSince is not null, history.UnderReviewSince,
            [.. history.Weeks.Select(w => new ApiBusinessWeek(
                WeekDates.ToText(w.WeekStart), WeekDates.ToText(w.WeekStart), w.PublishedAt, w.SourceSha256, w.Status, w.Scans, w.FlaggedVisitors, w.Reason, w.ExclusionSource))],
            [.. history.Replies.Select(r => new ApiBusinessReply(
                WeekDates.ToText(r.WeekStart), r.Statement, r.AuthorName, r.AuthorRole, r.PublishedAt, Verified: false))]));
    }
}
