using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Weeks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

/// <summary>
/// What must be seen before a week goes public, for whoever publishes it: the review page and its
/// forms, and the command line's <c>publish</c> verb. Both ask the same questions of the same review,
/// so a week the staff area would refuse is refused at the server's console too.
/// </summary>
public sealed class PublishChecks(RegistryDbContext db, NpgsqlDataSource dataSource, WeekReplacements replacements,
    IOptions<RegistryOptions> options, IOptions<PublishingOptions> publishing)
{
    /// <summary>The audit detail of an Admin publishing their own upload (AuditText reads it back as a sentence).</summary>
    public const string OwnUploadDetail = "an Admin published their own upload, overriding the second-person rule";

    /// <summary>The audit detail naming the warnings confirmed, by their keys.</summary>
    public static string WarningsDetail(IEnumerable<PublishWarning> warnings) =>
        "confirmed warnings: " + string.Join(", ", warnings.Select(w => w.Key));

    public double ChangeWarningPercent => publishing.Value.ChangeWarningPercent;

    /// <summary>
    /// The week's review: of the file waiting to replace it when the week is published and one waits
    /// (against the published version), otherwise of the week as loaded (against the week before); null
    /// when no week of that date was loaded.
    /// </summary>
    public async Task<PublishCheck?> LoadAsync(DateOnly weekStart, CancellationToken cancellationToken)
    {
        WeekReview? review = null;
        if (await replacements.PendingAsync(weekStart, cancellationToken) is { } pending)
            review = await WeekReview.LoadReplacementAsync(dataSource, pending, options.Value.ExclusionWeeks, cancellationToken);
        review ??= await WeekReview.LoadAsync(dataSource, weekStart, options.Value.ExclusionWeeks, cancellationToken);
        if (review is null)
            return null;
        var details = await db.Weeks.AsNoTracking().FirstAsync(w => w.WeekStart == weekStart, cancellationToken);
        var importId = review.Replacement?.ImportId ?? details.ImportId;
        var fileWarnings = await db.ImportMessages.AsNoTracking()
            .Where(m => m.ImportId == importId && m.Severity == "file_warning" && PublishWarnings.FileWarningCodes.Contains(m.Code))
            .OrderBy(m => m.Seq)
            .Select(m => new { m.Code, m.Message })
            .ToListAsync(cancellationToken);
        var warnings = PublishWarnings.For(review, fileWarnings.Select(m => (m.Code, m.Message)), ChangeWarningPercent);
        var uploadedBy = await db.Imports.AsNoTracking().Where(i => i.Id == importId).Select(i => i.UploadedBy).FirstAsync(cancellationToken);
        return new PublishCheck(review, details, warnings, uploadedBy, importId);
    }

    /// <summary>Under the second-person rule, whether <paramref name="actor"/> is the one who uploaded the file to be published.</summary>
    public bool NeedsSecondPerson(PublishCheck check, string actor)
    {
        ArgumentNullException.ThrowIfNull(check);
        return publishing.Value.RequireSecondPerson && (check.Review.Status != WeekStatuses.Published || check.Review.Replacement is not null)
            && string.Equals(check.UploadedBy, actor, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A week's review with what its publication must confirm.</summary>
/// <param name="ImportId">The import under review: the replacement's when one waits, else the week's.</param>
public sealed record PublishCheck(WeekReview Review, ReportingWeek Week, IReadOnlyList<PublishWarning> Warnings, string UploadedBy, long ImportId);
