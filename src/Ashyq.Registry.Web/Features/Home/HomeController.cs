using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Home;

public sealed record CategoryFigure(string Code, int Participants, int Leaders, int Outsiders, int Excluded);

public sealed record HomeModel(PublicFacts Facts, PublishedWeek Latest, PublishedWeek? Previous, IReadOnlyList<CategoryFigure> TopCategories);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class HomeController(NpgsqlDataSource dataSource, RegistryDbContext db) : Controller
{
    public const int TopCategoryCount = 5;

    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Latest is not { } latest)
            return View("NothingPublished");

        var top = await (
            from c in db.WeekCounts.AsNoTracking()
            join w in db.Weeks.AsNoTracking() on c.WeekStart equals w.WeekStart
            where c.WeekStart == latest.WeekStart && c.Dimension == "category" && w.Status == WeekStatuses.Published
            orderby c.Participants descending, c.Code
            select new CategoryFigure(c.Code, c.Participants, c.Leaders, c.Outsiders, c.Excluded))
            .Take(TopCategoryCount)
            .ToListAsync(cancellationToken);
        return View(new HomeModel(facts, latest, facts.Before(latest.WeekStart), top));
    }
}
