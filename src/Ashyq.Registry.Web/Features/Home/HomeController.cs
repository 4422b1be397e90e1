using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Home;

public sealed record CategoryFigure(string Code, int Participants, int Leaders, int Outsiders, int Excluded);

/// <summary>The home page: the ranking holds kinds of activity only; "other" is no kind and is shown apart.</summary>
public sealed record HomeModel(
    PublicFacts Facts, PublishedWeek Latest, PublishedWeek? Previous, IReadOnlyList<CategoryFigure> TopCategories, CategoryFigure? Other,
    int ExclusionWeeks);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class HomeController(NpgsqlDataSource dataSource, RegistryDbContext db, IOptions<RegistryOptions> options) : Controller
{
    public const int TopCategoryCount = 5;
    public const string OtherCategory = "other";

    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Latest is not { } latest)
            return View("NothingPublished");

        var categories = await (
            from c in db.WeekCounts.AsNoTracking()
            join w in db.Weeks.AsNoTracking() on c.WeekStart equals w.WeekStart
            where c.WeekStart == latest.WeekStart && c.Dimension == "category" && w.Status == WeekStatuses.Published
            orderby c.Participants descending, c.Code
            select new CategoryFigure(c.Code, c.Participants, c.Leaders, c.Outsiders, c.Excluded))
            .ToListAsync(cancellationToken);
        this.ShowsWeek(facts, latest);
        var top = categories.Where(c => c.Code != OtherCategory).Take(TopCategoryCount).ToList();
        var other = categories.FirstOrDefault(c => c.Code == OtherCategory);
        return View(new HomeModel(facts, latest, facts.Before(latest.WeekStart), top, other, options.Value.ExclusionWeeks));
    }
}
