using Ashyq.Registry.Core.Aliases;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Aliases;

/// <summary>Category aliases: list, add and remove, each previewed against the stored rows before it is saved.</summary>
[Authorize(Policy = StaffRoles.AdminPolicy)]
[Route("staff/aliases")]
public sealed class AliasesController(RegistryDbContext db, NpgsqlDataSource dataSource) : StaffController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? done, string? alias) =>
        View(await PageAsync(done) with { Alias = alias is { Length: <= 200 } ? alias : null });

    /// <summary>What adding the alias would change; nothing is saved.</summary>
    [HttpGet("preview")]
    public async Task<IActionResult> Preview(string? alias, string? category)
    {
        var folded = TextNormalizer.Fold(alias ?? "");
        var categories = await CategoriesAsync();
        string? problem = null;
        if (folded.Length is 0 or > 200)
            problem = "staff.aliases.problem-empty";
        else if (!categories.Any(c => c.Code == category))
            problem = "staff.aliases.problem-category";
        else if (await db.CategoryAliases.AnyAsync(a => a.Alias == folded, HttpContext.RequestAborted))
            problem = "staff.aliases.problem-exists";
        if (problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(nameof(Index), await PageAsync(null) with { Problem = problem, Alias = alias, Category = category });
        }
        var moves = await AliasRemap.PlanAsync(dataSource, new AliasChange(null, folded, category!), HttpContext.RequestAborted);
        return View(new AliasPreview(null, folded, category!, CategoryName(categories, category!), moves, categories));
    }

    [HttpPost("")]
    public async Task<IActionResult> Add(string? alias, string? category)
    {
        var folded = TextNormalizer.Fold(alias ?? "");
        var categories = await CategoriesAsync();
        if (folded.Length is 0 or > 200 || !categories.Any(c => c.Code == category)
            || await db.CategoryAliases.AnyAsync(a => a.Alias == folded, HttpContext.RequestAborted))
            return Redirect($"/staff/aliases/preview?alias={Uri.EscapeDataString(alias ?? "")}&category={Uri.EscapeDataString(category ?? "")}");
        await AliasRemap.ApplyAsync(dataSource, new AliasChange(null, folded, category!), Actor, ClientIp, HttpContext.RequestAborted);
        return Redirect("/staff/aliases?done=added");
    }

    /// <summary>What removing the alias would change; nothing is saved.</summary>
    [HttpGet("{id:long}/remove")]
    public async Task<IActionResult> RemovePreview(long id)
    {
        var alias = await db.CategoryAliases.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && !a.IsBuiltin, HttpContext.RequestAborted);
        if (alias is null)
            return NotFound();
        var categories = await CategoriesAsync();
        var moves = await AliasRemap.PlanAsync(dataSource, new AliasChange(id, alias.Alias, alias.CategoryCode), HttpContext.RequestAborted);
        return View("Preview", new AliasPreview(id, alias.Alias, alias.CategoryCode, CategoryName(categories, alias.CategoryCode), moves, categories));
    }

    [HttpPost("{id:long}/remove")]
    public async Task<IActionResult> Remove(long id)
    {
        var alias = await db.CategoryAliases.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && !a.IsBuiltin, HttpContext.RequestAborted);
        if (alias is null)
            return NotFound();
        await AliasRemap.ApplyAsync(dataSource, new AliasChange(id, alias.Alias, alias.CategoryCode), Actor, ClientIp, HttpContext.RequestAborted);
        return Redirect("/staff/aliases?done=removed");
    }

    private async Task<AliasesPage> PageAsync(string? done)
    {
        var categories = await CategoriesAsync();
        var aliases = await db.CategoryAliases.AsNoTracking()
            .OrderBy(a => a.IsBuiltin).ThenBy(a => a.CategoryCode).ThenBy(a => a.Alias)
            .Select(a => new AliasRow(a.Id, a.Alias, a.CategoryCode, a.IsBuiltin, a.CreatedAt, a.CreatedBy))
            .ToListAsync(HttpContext.RequestAborted);
        return new AliasesPage(aliases, categories, done, null, null, null);
    }

    private async Task<IReadOnlyList<CategoryOption>> CategoriesAsync()
    {
        var language = Languages.Current;
        var all = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(HttpContext.RequestAborted);
        return all.Select(c => new CategoryOption(c.Code, language switch
        {
            Languages.Kazakh => c.NameKk,
            Languages.English => c.NameEn,
            _ => c.NameRu,
        })).ToList();
    }

    private static string CategoryName(IReadOnlyList<CategoryOption> categories, string code) =>
        categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;
}

public sealed record CategoryOption(string Code, string Name);

public sealed record AliasRow(long Id, string Alias, string CategoryCode, bool IsBuiltin, DateTimeOffset CreatedAt, string? CreatedBy);

public sealed record AliasesPage(
    IReadOnlyList<AliasRow> Aliases, IReadOnlyList<CategoryOption> Categories, string? Done, string? Problem, string? Alias, string? Category)
{
    public string Name(string code) => Categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;
}

public sealed record AliasPreview(
    long? RemoveId, string Alias, string CategoryCode, string CategoryName, IReadOnlyList<CategoryMove> Moves, IReadOnlyList<CategoryOption> Categories)
{
    public string Name(string code) => Categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;
}
