using System.ComponentModel;
using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Api;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Lists;

public sealed record ApiListPage(
    [property: Description(Provenance.Week)] string Week, string WeekStart,
    [property: Description(Provenance.PublishedAt)] DateTimeOffset PublishedAt,
    [property: Description(Provenance.SourceSha256)] string SourceSha256,
    int Total, int Page, int PageSize, IReadOnlyList<ApiListItem> Items);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
[ApiController]
[Tags("lists")]
public sealed class ListsApiController(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, TimeProvider clock) : ControllerBase
{
    /// <summary>One page of a list of a published week (the latest unless week= names one).</summary>
    [HttpGet("/api/v1/lists/{kind}")]
    [EndpointName("getList")]
    [EndpointSummary("One page of a list of a published week")]
    [ProducesResponseType<ApiListPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<IActionResult> Get(
        [System.ComponentModel.Description("leaders, outsiders, excluded (also taken as exclusions) or participants")] string kind,
        [FromQuery] ListRequest request,
        [FromQuery(Name = "pageSize"), System.ComponentModel.Description("Rows per page, 1 to 500; a value outside is brought to the nearer end")] int pageSize = ListQuery.PageSize,
        CancellationToken cancellationToken = default)
    {
        if (!ListKinds.TryParse(kind, out var listKind))
            return Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown list", detail: "The list is one of leaders, outsiders, excluded, participants.");
        if (!string.IsNullOrWhiteSpace(request.Week) && !this.TryRead(request.Week, options.Value, clock, out _, out var problem))
            return problem;
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.FindWithdrawn(request.Week) is { } withdrawn)
            return this.WeekWithdrawn(withdrawn);
        if (facts.Resolve(request.Week) is not { } week)
            return Problem(statusCode: StatusCodes.Status404NotFound, title: "Week not published", detail: "No published week matches; give week=yyyy-MM-dd of a published week.");

        this.ShowsWeek(facts, week);
        var page = await ListQuery.PageAsync(dataSource, request.ToFilter(week, listKind, facts), request.Page, pageSize, cancellationToken);
        return Ok(new ApiListPage(week.Key, week.Key, week.PublishedAt, week.SourceSha256, page.Total, page.Page, page.PageSize, [.. page.Items.Select(ApiListItem.From)]));
    }
}
