using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Changes;

/// <summary>
/// The week's changes: every group's count and its first businesses, or with Section set, that one
/// group page by page.
/// </summary>
public sealed record ChangesModel(
    PublicFacts Facts, PublishedWeek Week, PublishedWeek? Previous, IReadOnlyList<ChangeSection> Sections, int ExclusionWeeks,
    string? Section = null, int Page = 1)
{
    public string Link(string? section = null, int page = 1) =>
        $"/changes?week={Week.Key}" + (section is null ? "" : $"&section={section}") + (page > 1 ? $"&page={page.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "");
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class ChangesController(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/changes")]
    public async Task<IActionResult> Index(string? week, string? section, CancellationToken cancellationToken, int page = 1)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (!this.TryFindWeek(facts, week, out var selected, out var answer))
            return answer;
        this.ShowsWeek(facts, selected);
        var previous = facts.Before(selected.WeekStart);
        if (ChangesQuery.IsKind(section))
        {
            page = Math.Max(1, page);
            var one = await ChangesQuery.LoadAsync(
                dataSource, selected.WeekStart, previous?.WeekStart, section, (page - 1) * ChangesQuery.PageSize, ChangesQuery.PageSize, cancellationToken);
            return View(new ChangesModel(facts, selected, previous, one, options.Value.ExclusionWeeks, section, page));
        }
        var sections = await ChangesQuery.LoadAsync(
            dataSource, selected.WeekStart, previous?.WeekStart, null, 0, options.Value.ChangesPreviewRows, cancellationToken);
        return View(new ChangesModel(facts, selected, previous, sections, options.Value.ExclusionWeeks));
    }
}
