using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Home;

public sealed record CategoryFigure(string Code, int Participants, int Leaders, int Outsiders, int Excluded);

public sealed record HomeModel(PublicFacts Facts, PublishedWeek Latest, PublishedWeek? Previous, IReadOnlyList<CategoryFigure> TopCategories);

public sealed class HomeController(NpgsqlDataSource dataSource, RegistryDbContext db) : Controller
{
    public const int TopCategoryCount = 5;

    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        if (facts.Latest is not { } latest)
            return View("NothingPublished");

        var top = await db.WeekCounts.AsNoTracking()
            .Where(c => c.WeekStart == latest.WeekStart && c.Dimension == "category")
            .OrderByDescending(c => c.Participants).ThenBy(c => c.Code)
            .Take(TopCategoryCount)
            .Select(c => new CategoryFigure(c.Code, c.Participants, c.Leaders, c.Outsiders, c.Excluded))
            .ToListAsync(cancellationToken);
        return View(new HomeModel(facts, latest, facts.Before(latest.WeekStart), top));
    }
}
