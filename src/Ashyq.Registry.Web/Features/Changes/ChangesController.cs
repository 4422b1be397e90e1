using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Changes;

public sealed record ChangesModel(PublicFacts Facts, PublishedWeek Week, PublishedWeek? Previous, IReadOnlyList<ChangeSection> Sections, int ExclusionWeeks);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class ChangesController(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/changes")]
    public async Task<IActionResult> Index(string? week, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Latest is null && string.IsNullOrWhiteSpace(week))
            return View("NothingPublished");
        if (facts.Resolve(week) is not { } selected)
            return this.WeekNotFound(facts);
        var previous = facts.Before(selected.WeekStart);
        var sections = await ChangesQuery.LoadAsync(dataSource, selected.WeekStart, previous?.WeekStart, cancellationToken);
        return View(new ChangesModel(facts, selected, previous, sections, options.Value.ExclusionWeeks));
    }
}
