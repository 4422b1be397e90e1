using System.Globalization;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ashyq.Registry.Web.Features.Staff.Audit;

/// <summary>The audit log: filter by who, what, when and free text; download what the filter selects as CSV.</summary>
[Route("staff/audit")]
public sealed class AuditController(RegistryDbContext db) : StaffController
{
    public const int PageSize = 100;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AuditFilter filter, int page = 1)
    {
        page = StaffPaging.Clamp(page, PageSize);
        var entries = await Filtered(filter)
            .OrderByDescending(e => e.Id)
            .Skip((page - 1) * PageSize)
            .Take(PageSize + 1)
            .ToListAsync(HttpContext.RequestAborted);
        var actions = await db.AuditLog.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(HttpContext.RequestAborted);
        return View(new AuditPage(filter, entries.Take(PageSize).ToList(), actions, page, entries.Count > PageSize, await NamesAsync()));
    }

    /// <summary>Category and district names in the reader's language, for the confirmed warnings that name one.</summary>
    private async Task<AuditNames> NamesAsync()
    {
        var language = Languages.Current;
        var categories = await db.Categories.AsNoTracking().ToListAsync(HttpContext.RequestAborted);
        var districts = await db.Districts.AsNoTracking().ToListAsync(HttpContext.RequestAborted);
        return new AuditNames(
            categories.ToDictionary(c => c.Code, c => Name(c.NameRu, c.NameKk, c.NameEn), StringComparer.Ordinal),
            districts.ToDictionary(d => d.Code, d => Name(d.NameRu, d.NameKk, d.NameEn), StringComparer.Ordinal));

        string Name(string ru, string kk, string en) => language switch
        {
            Languages.Kazakh => kk,
            Languages.English => en,
            _ => ru,
        };
    }

    [HttpGet("/staff/audit.csv")]
    public async Task<IActionResult> Download([FromQuery] AuditFilter filter)
    {
        CsvDownload.Start(Response, "audit.csv");
        await using var csv = new CsvDownload(Response.Body);
        await csv.RowAsync("id", "at", "actor", "action", "subject", "details", "ip");
        await foreach (var e in Filtered(filter).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(HttpContext.RequestAborted))
        {
            await csv.RowAsync(e.Id.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture),
                e.Actor, e.Action, e.Subject, e.Details, e.Ip);
        }
        return new EmptyResult();
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
            query = query.Where(e => EF.Functions.ILike(e.Actor, "%" + Escape(filter.Actor.Trim()) + "%"));
        if (!string.IsNullOrWhiteSpace(filter.Action))
            query = query.Where(e => e.Action == filter.Action);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var pattern = "%" + Escape(filter.Text.Trim()) + "%";
            query = query.Where(e => EF.Functions.ILike(e.Subject ?? "", pattern) || EF.Functions.ILike(e.Details ?? "", pattern)
                || EF.Functions.ILike(e.Ip ?? "", pattern));
        }
        // Either end may be any date a form can send, the calendar's first or last day included.
        if (filter.From is { } from && from > DateOnly.MinValue)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At >= start);
        }
        if (filter.To is { } to && to < DateOnly.MaxValue)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(e => e.At < end);
        }
        return query;
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

public sealed record AuditFilter
{
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? Text { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public string QueryString(int? page = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("actor", Actor), new("action", Action), new("text", Text),
            new("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        };
        if (page is { } p)
            pairs.Add(new("page", p.ToString(CultureInfo.InvariantCulture)));
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();
    }
}

public sealed record AuditPage(AuditFilter Filter, IReadOnlyList<AuditEntry> Entries, IReadOnlyList<string> Actions, int Page, bool HasMore, AuditNames Names);
