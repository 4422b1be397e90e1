using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Lists;

/// <summary>What a list page or a download was asked for, straight from the query string.</summary>
public sealed class ListRequest
{
    [FromQuery(Name = "week")]
    [System.ComponentModel.Description("The Monday of a published week, as yyyy-MM-dd; the latest published week when left out")]
    public string? Week { get; set; }

    [FromQuery(Name = "q")]
    [System.ComponentModel.Description("Part of a name, or the first digits of a number, to look for")]
    public string? Q { get; set; }

    [FromQuery(Name = "category")]
    [System.ComponentModel.Description("A category code; an unknown code is ignored")]
    public string? Category { get; set; }

    [FromQuery(Name = "district")]
    [System.ComponentModel.Description("A district code, or unknown for rows with no district; an unknown code is ignored")]
    public string? District { get; set; }

    [FromQuery(Name = "sort")]
    [System.ComponentModel.Description("name (the default), scans (most scans first) or scans-asc; any other value is taken as name")]
    public string? Sort { get; set; }

    [FromQuery(Name = "page")]
    [System.ComponentModel.Description("The page, from 1; a page below 1 is taken as 1")]
    public int Page { get; set; } = 1;

    /// <summary>The filter for a resolved week, dropping category and district codes that do not exist.</summary>
    public ListFilter ToFilter(PublishedWeek week, ListKind kind, PublicFacts facts) => new(
        week.WeekStart, kind, string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
        facts.IsCategory(Category) ? Category : null,
        facts.IsDistrict(District) || District == "unknown" ? District : null,
        ListSorts.Normalize(Sort));
}

public sealed record ListPageModel(
    ListKind Kind, string Path, PublicFacts Facts, PublishedWeek Week, ListFilter Filter, ListPage Page, int ExclusionWeeks)
{
    /// <summary>This page's address with some query values replaced (null drops one).</summary>
    public string Link(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["week"] = Week.Key,
            ["q"] = Filter.Q,
            ["category"] = Filter.Category,
            ["district"] = Filter.District,
            ["sort"] = Filter.Sort == ListSorts.Name ? null : Filter.Sort,
        };
        foreach (var (key, value) in changes)
            values[key] = value;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            Path, values.Where(v => !string.IsNullOrEmpty(v.Value)));
    }

    public string Download(string format) => Link() is var link && link.IndexOf('?', StringComparison.Ordinal) is var at and >= 0
        ? $"/lists/{Kind.Code()}.{format}{link[at..]}"
        : $"/lists/{Kind.Code()}.{format}";
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class ListsController(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/leaders")]
    public Task<IActionResult> Leaders([FromQuery] ListRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ListKind.Leaders, "/leaders", request, cancellationToken);

    [HttpGet("/outsiders")]
    public Task<IActionResult> Outsiders([FromQuery] ListRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ListKind.Outsiders, "/outsiders", request, cancellationToken);

    [HttpGet("/exclusions")]
    public Task<IActionResult> Exclusions([FromQuery] ListRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ListKind.Excluded, "/exclusions", request, cancellationToken);

    [HttpGet("/participants")]
    public Task<IActionResult> Participants([FromQuery] ListRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ListKind.Participants, "/participants", request, cancellationToken);

    [HttpGet("/lists/{kind}.{format}")]
    [ApiExplorerSettings(IgnoreApi = false)]
    [Tags("downloads")]
    [EndpointName("downloadList")]
    [EndpointSummary("A whole list of a published week as a file, with the filters of its page")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    [ProducesResponseType(StatusCodes.Status410Gone)]
    public async Task<IActionResult> Download(
        [System.ComponentModel.Description("leaders, outsiders, excluded (also taken as exclusions) or participants")] string kind,
        [System.ComponentModel.Description("csv (UTF-8 with a byte-order mark, ';' between fields), xlsx or json")] string format,
        [FromQuery] ListRequest request, CancellationToken cancellationToken)
    {
        if (!ListKinds.TryParse(kind, out var listKind) || !ListDownload.IsFormat(format))
            return NotFound();
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Resolve(request.Week) is not { } week)
            return this.WeekNotFound(facts);
        var filter = request.ToFilter(week, listKind, facts);
        this.ShowsWeek(facts, week);
        return new ListDownload(dataSource, filter, facts, format.ToLowerInvariant(), options.Value.ExclusionWeeks);
    }

    private async Task<IActionResult> ShowAsync(ListKind kind, string path, ListRequest request, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (!this.TryFindWeek(facts, request.Week, out var week, out var answer))
            return answer;

        var filter = request.ToFilter(week, kind, facts);
        this.ShowsWeek(facts, week);
        var page = await ListQuery.PageAsync(dataSource, filter, request.Page, ListQuery.PageSize, cancellationToken);
        return View("List", new ListPageModel(kind, path, facts, week, filter, page, options.Value.ExclusionWeeks));
    }
}
