using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

/// <summary>Every loaded week; the review of one against the latest published week; publish and withdraw.</summary>
[Route("staff/weeks")]
public sealed class WeeksController(
    RegistryDbContext db, NpgsqlDataSource dataSource, WeekPublisher publisher, IOptions<RegistryOptions> options,
    IOptions<PublishingOptions> publishing, WeekDrafts drafts, WeekReplacements replacements) : StaffController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? done)
    {
        ViewData["Done"] = done == "discarded" ? done : null;
        var weeks = await db.Weeks.AsNoTracking()
            .OrderByDescending(w => w.WeekStart)
            .Take(200)
            .Select(w => new WeekListRow(w.WeekStart, w.Status, w.ImportId, w.LoadedAt, w.PublishedAt, w.PublishedBy,
                w.Participants, w.Leaders, w.Outsiders, w.Excluded, w.ExcludedByRule))
            .ToListAsync(HttpContext.RequestAborted);
        return View(weeks);
    }

    [HttpGet("{week}")]
    public async Task<IActionResult> Review(string week, string? done, string? problem)
    {
        if (!TryWeek(week, out var weekStart))
            return NotFound();
        if (await LoadReviewAsync(weekStart) is not { } loaded)
            return NotFound();
        var earlierDrafts = await publisher.EarlierDraftsAsync(weekStart, HttpContext.RequestAborted);
        if (problem is not null)
            Response.StatusCode = StatusCodes.Status409Conflict;
        return View(new WeekReviewPage(loaded.Review, loaded.Week, earlierDrafts, done, problem, loaded.Warnings, publishing.Value.ChangeWarningPercent)
        {
            UploadedBy = loaded.UploadedBy,
            ExclusionWeeks = options.Value.ExclusionWeeks,
            NeedsSecondPerson = NeedsSecondPerson(loaded),
            ImportId = loaded.ImportId,
            ReplacedVersions = await ReplacedVersions.LoadAsync(dataSource, weekStart, HttpContext.RequestAborted),
        });
    }

    /// <summary>
    /// Publishes the week the form was shown for. A week with warnings is published only when the form
    /// sends back the confirmation of those very warnings for the file now loaded; anything else is
    /// refused and the review is shown again.
    /// </summary>
    [HttpPost("{week}/publish")]
    public async Task<IActionResult> Publish(string week, bool confirm, string? acknowledge, bool publishOwnUpload)
    {
        if (!TryWeek(week, out var weekStart))
            return NotFound();
        if (await LoadReviewAsync(weekStart) is not { } loaded)
            return NotFound();
        var details = new List<string>();
        if (NeedsSecondPerson(loaded))
        {
            // Only an Admin may publish their own upload, and only by saying so on the form.
            if (!publishOwnUpload || !User.IsInRole(StaffRoles.Admin))
                return Redirect($"/staff/weeks/{week}?problem=second-person");
            details.Add("an Admin published their own upload, overriding the second-person rule");
        }
        if (loaded.Review.Status != "published" && loaded.Warnings.Count > 0)
        {
            var expected = PublishWarnings.Confirmation(loaded.Week.ImportId, loaded.Warnings);
            if (!string.Equals(acknowledge, expected, StringComparison.Ordinal))
                return Redirect($"/staff/weeks/{week}?problem=warnings");
            details.Add("confirmed warnings: " + string.Join(", ", loaded.Warnings.Select(w => w.Key)));
        }
        var outcome = await publisher.PublishAsync(weekStart, Actor, confirm, ClientIp, loaded.Week.ImportId,
            details.Count == 0 ? null : string.Join("; ", details), HttpContext.RequestAborted);
        return outcome switch
        {
            PublishOutcome.NotFound => NotFound(),
            PublishOutcome.NeedsConfirmation => Redirect($"/staff/weeks/{week}?problem=confirm"),
            PublishOutcome.ImportChanged => Redirect($"/staff/weeks/{week}?problem=replaced"),
            _ => Redirect($"/staff/weeks/{week}?done=published"),
        };
    }

    /// <summary>
    /// Publishes the file waiting to replace the published week, in place of the published version
    /// (WeekReplacements), under the same confirmations as a first publication and with a reason, which
    /// the public corrections page shows.
    /// </summary>
    [HttpPost("{week}/replace")]
    public async Task<IActionResult> Replace(string week, string? acknowledge, bool publishOwnUpload, string? reason)
    {
        if (!TryWeek(week, out var weekStart))
            return NotFound();
        if (await LoadReviewAsync(weekStart) is not { } loaded)
            return NotFound();
        if (loaded.Review.Replacement is not { } replacement)
            return Redirect($"/staff/weeks/{week}?problem=no-replacement");
        var details = new List<string>();
        if (NeedsSecondPerson(loaded))
        {
            if (!publishOwnUpload || !User.IsInRole(StaffRoles.Admin))
                return Redirect($"/staff/weeks/{week}?problem=second-person");
            details.Add("an Admin published their own upload, overriding the second-person rule");
        }
        if (loaded.Warnings.Count > 0)
        {
            if (!string.Equals(acknowledge, PublishWarnings.Confirmation(replacement.ImportId, loaded.Warnings), StringComparison.Ordinal))
                return Redirect($"/staff/weeks/{week}?problem=warnings");
            details.Add("confirmed warnings: " + string.Join(", ", loaded.Warnings.Select(w => w.Key)));
        }
        if (string.IsNullOrWhiteSpace(reason))
            return Redirect($"/staff/weeks/{week}?problem=replace-reason");
        if (reason.Trim().Length > MaxReasonLength)
            return Redirect($"/staff/weeks/{week}?problem=replace-reason-long");
        var outcome = await replacements.PublishAsync(weekStart, Actor, reason, replacement.ImportId, ClientIp,
            details.Count == 0 ? null : string.Join("; ", details), HttpContext.RequestAborted);
        return outcome switch
        {
            ReplaceOutcome.NotFound => NotFound(),
            ReplaceOutcome.Replaced => Redirect($"/staff/weeks/{week}?done=replaced"),
            ReplaceOutcome.ImportChanged => Redirect($"/staff/weeks/{week}?problem=replaced"),
            _ => Redirect($"/staff/weeks/{week}?problem=no-replacement"),
        };
    }

    /// <summary>
    /// Takes a draft back: its rows go, its import and stored file stay (WeekDrafts). For a published week
    /// it is the file waiting to replace it that is taken back; the published version stays.
    /// </summary>
    [HttpPost("{week}/discard")]
    public async Task<IActionResult> Discard(string week)
    {
        if (!TryWeek(week, out var weekStart))
            return NotFound();
        if (await replacements.PendingAsync(weekStart, HttpContext.RequestAborted) is not null)
        {
            return await replacements.DiscardAsync(weekStart, Actor, ClientIp, HttpContext.RequestAborted)
                ? Redirect($"/staff/weeks/{week}?done=replacement-discarded")
                : Redirect($"/staff/weeks/{week}?problem=no-replacement");
        }
        return await drafts.DiscardAsync(weekStart, Actor, ClientIp, HttpContext.RequestAborted) switch
        {
            DiscardOutcome.NotFound => NotFound(),
            DiscardOutcome.NotDraft => Redirect($"/staff/weeks/{week}?problem=not-draft"),
            _ => Redirect("/staff/weeks?done=discarded"),
        };
    }

    [HttpPost("{week}/withdraw")]
    public async Task<IActionResult> Withdraw(string week, string? reason)
    {
        if (!TryWeek(week, out var weekStart))
            return NotFound();
        if (string.IsNullOrWhiteSpace(reason))
            return Redirect($"/staff/weeks/{week}?problem=reason");
        var outcome = await publisher.WithdrawAsync(weekStart, Actor, reason, ClientIp, HttpContext.RequestAborted);
        return outcome switch
        {
            WithdrawOutcome.NotFound => NotFound(),
            WithdrawOutcome.NotPublished => Redirect($"/staff/weeks/{week}?problem=not-published"),
            _ => Redirect($"/staff/weeks/{week}?done=withdrawn"),
        };
    }

    /// <summary>The longest reason a replacement may give, as for a withdrawal (the form's maxlength).</summary>
    private const int MaxReasonLength = 1000;

    /// <summary>
    /// The week's review: of the file waiting to replace it when the week is published and one waits
    /// (against the published version), otherwise of the week as loaded (against the week before).
    /// </summary>
    private async Task<LoadedReview?> LoadReviewAsync(DateOnly weekStart)
    {
        WeekReview? review = null;
        if (await replacements.PendingAsync(weekStart, HttpContext.RequestAborted) is { } pending)
            review = await WeekReview.LoadReplacementAsync(dataSource, pending, options.Value.ExclusionWeeks, HttpContext.RequestAborted);
        review ??= await WeekReview.LoadAsync(dataSource, weekStart, options.Value.ExclusionWeeks, HttpContext.RequestAborted);
        if (review is null)
            return null;
        var details = await db.Weeks.AsNoTracking().FirstAsync(w => w.WeekStart == weekStart, HttpContext.RequestAborted);
        var importId = review.Replacement?.ImportId ?? details.ImportId;
        var fileWarnings = await db.ImportMessages.AsNoTracking()
            .Where(m => m.ImportId == importId && m.Severity == "file_warning" && PublishWarnings.FileWarningCodes.Contains(m.Code))
            .OrderBy(m => m.Seq)
            .Select(m => new { m.Code, m.Message })
            .ToListAsync(HttpContext.RequestAborted);
        var warnings = PublishWarnings.For(review, fileWarnings.Select(m => (m.Code, m.Message)), publishing.Value.ChangeWarningPercent);
        var uploadedBy = await db.Imports.AsNoTracking().Where(i => i.Id == importId).Select(i => i.UploadedBy).FirstAsync(HttpContext.RequestAborted);
        return new LoadedReview(review, details, warnings, uploadedBy, importId);
    }

    /// <summary>Under the second-person rule, whether the one asking is the one who uploaded the week's file.</summary>
    private bool NeedsSecondPerson(LoadedReview loaded) =>
        publishing.Value.RequireSecondPerson && (loaded.Review.Status != "published" || loaded.Review.Replacement is not null)
        && string.Equals(loaded.UploadedBy, Actor, StringComparison.OrdinalIgnoreCase);

    /// <param name="ImportId">The import under review: the replacement's when one waits, else the week's.</param>
    private sealed record LoadedReview(WeekReview Review, ReportingWeek Week, IReadOnlyList<PublishWarning> Warnings, string UploadedBy, long ImportId);

    // Any stored week is reached by its date, even one outside today's bounds: it must stay reviewable and withdrawable.
    private static bool TryWeek(string text, out DateOnly week) => WeekDates.TryParse(text, out week);
}

public sealed record WeekListRow(
    DateOnly WeekStart, string Status, long ImportId, DateTimeOffset LoadedAt, DateTimeOffset? PublishedAt, string? PublishedBy,
    int Participants, int Leaders, int Outsiders, int Excluded, int ExcludedByRule);

public sealed record WeekReviewPage(
    WeekReview Review, ReportingWeek Week, IReadOnlyList<DateOnly> EarlierDrafts, string? Done, string? Problem,
    IReadOnlyList<PublishWarning> Warnings, double ChangeWarningPercent)
{
    public string Key => WeekDates.ToText(Review.Week);

    public string Confirmation => PublishWarnings.Confirmation(ImportId, Warnings);

    /// <summary>The import under review: the replacement's when one waits beside the published week, else the week's.</summary>
    public long ImportId { get; init; }

    /// <summary>The week's earlier published versions that replacements took the place of, newest first.</summary>
    public IReadOnlyList<ReplacedVersion> ReplacedVersions { get; init; } = [];

    public string UploadedBy { get; init; } = "";

    /// <summary>The contract's N, named in the rule's texts.</summary>
    public int ExclusionWeeks { get; init; } = 2;

    /// <summary>The second-person rule is on and the reader uploaded the week's file.</summary>
    public bool NeedsSecondPerson { get; init; }
}
