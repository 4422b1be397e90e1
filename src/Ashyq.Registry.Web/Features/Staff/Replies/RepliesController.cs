using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Replies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Staff.Replies;

/// <summary>A reply as staff read it, with the contact address the public never sees (null once cleared).</summary>
public sealed record StaffReply(
    long Id, string Bin, string? BusinessName, DateOnly WeekStart, string AuthorName, string AuthorRole, string? ContactEmail,
    string Statement, string Language, DateTimeOffset SubmittedAt, string State, DateTimeOffset? DecidedAt, string? DecidedBy,
    string? RejectReason, bool UnderReview, string PublicId);

/// <summary>A business whose status staff marked as under review, until they close it.</summary>
public sealed record OpenReview(long Id, string Bin, string? BusinessName, long? ReplyId, DateTimeOffset OpenedAt, string OpenedBy);

public sealed record RepliesPage(IReadOnlyList<StaffReply> Replies, IReadOnlyList<OpenReview> Reviews, int Page, bool HasMore, string? Done, string? Problem);

/// <summary>
/// Moderation of the businesses' replies: pending ones first, oldest first, then the decided ones, newest
/// first. Staff publish a reply, reject it with a reason, or mark the business's status as under review,
/// and later close the review. Each decision goes to the audit log, and every node drops its cached
/// public pages in the same transaction, since the business's page, API answer, feed and badge change.
/// </summary>
[Route("staff/replies")]
public sealed class RepliesController(NpgsqlDataSource dataSource, IOptions<ReplyOptions> options) : StaffController
{
    public const int PageSize = 50;
    public const int MaxReasonCharacters = 500;

    [HttpGet("")]
    public async Task<IActionResult> Index(int page = 1, string? done = null, string? problem = null)
    {
        page = StaffPaging.Clamp(page, PageSize);
        var cancellationToken = HttpContext.RequestAborted;
        await ClearOldContactsAsync(cancellationToken);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT r.id, r.bin, b.name, r.week_start, r.author_name, r.author_role, r.contact_email, r.statement, r.language,
                   r.submitted_at, r.state, r.decided_at, r.decided_by, r.reject_reason,
                   EXISTS (SELECT 1 FROM business_reviews v WHERE v.bin = r.bin AND v.closed_at IS NULL),
                   COALESCE(p.public_id, r.bin)
            FROM business_replies r
            LEFT JOIN businesses b ON b.bin = r.bin
            LEFT JOIN business_public_ids p ON p.bin = r.bin
            ORDER BY r.state = 'pending' DESC,
                     CASE WHEN r.state = 'pending' THEN r.submitted_at END,
                     r.decided_at DESC, r.id DESC
            OFFSET $1 LIMIT $2
            """) { Parameters = { new() { Value = (page - 1) * PageSize }, new() { Value = PageSize + 1 } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT v.id, v.bin, b.name, v.reply_id, v.opened_at, v.opened_by
            FROM business_reviews v LEFT JOIN businesses b ON b.bin = v.bin
            WHERE v.closed_at IS NULL ORDER BY v.opened_at
            """));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var replies = new List<StaffReply>();
        while (await reader.ReadAsync(cancellationToken))
            replies.Add(new StaffReply(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateOnly>(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetString(13), reader.GetBoolean(14),
                reader.GetString(15)));
        await reader.NextResultAsync(cancellationToken);
        var reviews = new List<OpenReview>();
        while (await reader.ReadAsync(cancellationToken))
            reviews.Add(new OpenReview(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        return View(new RepliesPage([.. replies.Take(PageSize)], reviews, page, replies.Count > PageSize, done is "published" or "rejected" or "review-opened" or "review-closed" ? done : null,
            problem is "decided" or "reason" or "review-exists" or "review-gone" ? problem : null));
    }

    [HttpPost("{id:long}/publish")]
    public async Task<IActionResult> Publish(long id)
    {
        var done = await DecideAsync(id, "published", null);
        return Redirect(done ? "/staff/replies?done=published" : "/staff/replies?problem=decided");
    }

    [HttpPost("{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, string? reason)
    {
        var text = (reason ?? "").Trim();
        if (text.Length is 0 or > MaxReasonCharacters || text.Any(char.IsControl))
            return Redirect("/staff/replies?problem=reason");
        var done = await DecideAsync(id, "rejected", text);
        return Redirect(done ? "/staff/replies?done=rejected" : "/staff/replies?problem=decided");
    }

    /// <summary>Marks the status of the reply's business as under review; a business already under review stays as it is.</summary>
    [HttpPost("{id:long}/review")]
    public async Task<IActionResult> OpenReview(long id)
    {
        var cancellationToken = HttpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var open = new NpgsqlCommand("""
            INSERT INTO business_reviews (bin, reply_id, opened_by)
            SELECT bin, id, $2 FROM business_replies WHERE id = $1
            ON CONFLICT (bin) WHERE closed_at IS NULL DO NOTHING
            RETURNING bin, (SELECT week_start FROM business_replies WHERE id = $1)
            """, connection, transaction);
        open.Parameters.Add(new() { Value = id });
        open.Parameters.Add(new() { Value = Actor });
        string? bin = null;
        var week = default(DateOnly);
        await using (var reader = await open.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                bin = reader.GetString(0);
                week = reader.GetFieldValue<DateOnly>(1);
            }
        }
        if (bin is null)
            return Redirect("/staff/replies?problem=review-exists");
        await AuditLog.WriteAsync(connection, transaction, Actor, "review.open", "business " + bin,
            "after reply " + id.ToString(CultureInfo.InvariantCulture), ClientIp, cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Redirect("/staff/replies?done=review-opened");
    }

    [HttpPost("reviews/{id:long}/close")]
    public async Task<IActionResult> CloseReview(long id)
    {
        var cancellationToken = HttpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var close = new NpgsqlCommand("""
            UPDATE business_reviews SET closed_at = now(), closed_by = $2 WHERE id = $1 AND closed_at IS NULL
            RETURNING bin, opened_at
            """, connection, transaction);
        close.Parameters.Add(new() { Value = id });
        close.Parameters.Add(new() { Value = Actor });
        string? bin = null;
        var opened = default(DateTimeOffset);
        await using (var reader = await close.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                bin = reader.GetString(0);
                opened = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }
        if (bin is null)
            return Redirect("/staff/replies?problem=review-gone");
        await AuditLog.WriteAsync(connection, transaction, Actor, "review.close", "business " + bin, null, ClientIp, cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, DateOnly.FromDateTime(opened.UtcDateTime), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Redirect("/staff/replies?done=review-closed");
    }

    /// <summary>
    /// Clears the contact email of every reply decided longer ago than Replies:ContactRetentionDays. Staff
    /// read the addresses only here, so an address is gone before anyone can see it past its time.
    /// </summary>
    private async Task ClearOldContactsAsync(CancellationToken cancellationToken)
    {
        await using var clear = dataSource.CreateCommand("""
            UPDATE business_replies SET contact_email = NULL
            WHERE contact_email IS NOT NULL AND decided_at < now() - make_interval(days => $1)
            """);
        clear.Parameters.Add(new() { Value = options.Value.ContactRetentionDays });
        await clear.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Publishes or rejects a reply still pending, or rejects (takes down) a published one; false when it is neither.</summary>
    private async Task<bool> DecideAsync(long id, string state, string? reason)
    {
        var cancellationToken = HttpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var decide = new NpgsqlCommand("""
            UPDATE business_replies SET state = $2, decided_at = now(), decided_by = $3, reject_reason = $4
            WHERE id = $1 AND (state = 'pending' OR (state = 'published' AND $2 = 'rejected'))
            RETURNING bin, week_start
            """, connection, transaction);
        decide.Parameters.Add(new() { Value = id });
        decide.Parameters.Add(new() { Value = state });
        decide.Parameters.Add(new() { Value = Actor });
        decide.Parameters.Add(new() { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        string? bin = null;
        var week = default(DateOnly);
        await using (var reader = await decide.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                bin = reader.GetString(0);
                week = reader.GetFieldValue<DateOnly>(1);
            }
        }
        if (bin is null)
            return false;
        var details = $"business {bin}, week {WeekDates.ToText(week)}" + (reason is null ? "" : "; reason: " + reason);
        await AuditLog.WriteAsync(connection, transaction, Actor, state == "published" ? "reply.publish" : "reply.reject",
            "reply " + id.ToString(CultureInfo.InvariantCulture), details, ClientIp, cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
