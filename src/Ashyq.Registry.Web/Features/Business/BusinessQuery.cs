using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Business;

/// <summary>
/// A business's status in one published week. FlaggedVisitors is null when that week's file had no
/// flagged-visitors column: the stored 0 then means "not reported", not none.
/// </summary>
public sealed record BusinessWeek(
    DateOnly WeekStart, DateTimeOffset PublishedAt, int Scans, int? FlaggedVisitors, string Status, string? Reason, string? ExclusionSource,
    string SourceSha256);

/// <summary>A business as the latest published week that lists it describes it.</summary>
public sealed record BusinessProfile(string Name, string CategoryCode, string? DistrictCode, string? Address, DateOnly? JoinedOn);

/// <summary>What happened to a business in a week: first listed, excluded, readmitted or another change of status.</summary>
public sealed record BusinessEvent(BusinessWeek Week, string Kind, string? PreviousStatus)
{
    public const string Listed = "listed";
    public const string Excluded = "excluded";
    public const string Readmitted = "readmitted";
    public const string Changed = "changed";
}

/// <summary>
/// Every published week that lists a business, newest first; the first is its current status. Id is the
/// business's public identifier (its permalink), Number its BIN as the public sees it (an IIN masked).
/// </summary>
public sealed record BusinessHistory(string Id, string Number, BusinessProfile Profile, IReadOnlyList<BusinessWeek> Weeks)
{
    public BusinessWeek Current => Weeks[0];

    /// <summary>The business's own statements staff published, newest week first; the chamber has not verified them.</summary>
    public IReadOnlyList<BusinessReply> Replies { get; init; } = [];

    /// <summary>When staff marked the business's status as under review, while that review is open.</summary>
    public DateTimeOffset? UnderReviewSince { get; init; }

    /// <summary>The last time a statement was published or a review opened or closed: the page changes then too.</summary>
    public DateTimeOffset? StatementsChangedAt { get; init; }

    public IEnumerable<BusinessReply> RepliesOn(DateOnly week) => Replies.Where(r => r.WeekStart == week);

    /// <summary>The changes of status, newest first. A week that lists it excluded after another status is an exclusion; the reverse a readmission.</summary>
    public IReadOnlyList<BusinessEvent> Events()
    {
        var events = new List<BusinessEvent>();
        BusinessWeek? before = null;
        foreach (var week in Weeks.Reverse())
        {
            if (before is null)
                events.Add(new BusinessEvent(week, week.Status == "excluded" ? BusinessEvent.Excluded : BusinessEvent.Listed, null));
            else if (week.Status != before.Status)
            {
                var kind = week.Status == "excluded" ? BusinessEvent.Excluded
                    : before.Status == "excluded" ? BusinessEvent.Readmitted
                    : BusinessEvent.Changed;
                events.Add(new BusinessEvent(week, kind, before.Status));
            }
            before = week;
        }
        events.Reverse();
        return events;
    }
}

/// <summary>A published reply: who wrote it for the business, about which week, and when staff published it.</summary>
public sealed record BusinessReply(long Id, DateOnly WeekStart, string AuthorName, string AuthorRole, string Statement, DateTimeOffset PublishedAt);

public enum BusinessLookupOutcome
{
    /// <summary>Neither a valid BIN or IIN nor a public identifier.</summary>
    Malformed,
    /// <summary>Well formed, but no published week lists it.</summary>
    Unknown,
    /// <summary>An individual's full IIN: the business is found under its public identifier instead.</summary>
    Moved,
    Found,
}

/// <summary>What a business address names: the number behind it (never shown), its public identifier, and the number as shown.</summary>
public sealed record BusinessLookup(BusinessLookupOutcome Outcome, string Bin, string Id, string Shown);

public static class BusinessQuery
{
    /// <summary>
    /// Reads a business's key from an address: a legal entity's BIN is its own public identifier; an
    /// individual is found by the stored identifier, or by the full IIN, which moves to that identifier.
    /// </summary>
    public static async Task<BusinessLookup> LookupAsync(NpgsqlDataSource dataSource, string? key, CancellationToken cancellationToken)
    {
        var text = (key ?? "").Trim();
        if (PersonalNumbers.IsPublicIdShape(text))
        {
            await using var byId = dataSource.CreateCommand("SELECT bin FROM business_public_ids WHERE public_id = $1");
            byId.Parameters.Add(new() { Value = text });
            return await byId.ExecuteScalarAsync(cancellationToken) is string found
                ? new BusinessLookup(BusinessLookupOutcome.Found, found, text, PersonalNumbers.Shown(found))
                : new BusinessLookup(BusinessLookupOutcome.Unknown, "", text, text);
        }
        if (!TryNormalizeBin(text, out var number))
            return new BusinessLookup(BusinessLookupOutcome.Malformed, "", "", text);
        if (PersonalNumbers.IsPublic(number))
            return new BusinessLookup(BusinessLookupOutcome.Found, number, number, number);
        await using var byNumber = dataSource.CreateCommand("SELECT public_id FROM business_public_ids WHERE bin = $1");
        byNumber.Parameters.Add(new() { Value = number, NpgsqlDbType = NpgsqlDbType.Char });
        return await byNumber.ExecuteScalarAsync(cancellationToken) is string id
            ? new BusinessLookup(BusinessLookupOutcome.Moved, number, id, PersonalNumbers.Shown(number))
            : new BusinessLookup(BusinessLookupOutcome.Unknown, number, "", PersonalNumbers.Shown(number));
    }

    /// <summary>How one published week's row described the business (its name, category and district may since have changed).</summary>
    public static async Task<BusinessProfile?> WeekProfileAsync(NpgsqlDataSource dataSource, string bin, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name, category_code, district_code, address, joined_on FROM week_rows WHERE week_start = $1 AND bin = $2");
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new BusinessProfile(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4))
            : null;
    }

    /// <summary>
    /// A BIN as typed: spaces are dropped; it must then be 12 digits with a valid check digit.
    /// </summary>
    public static bool TryNormalizeBin(string? text, out string bin)
    {
        bin = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        return Bin.IsValid(bin);
    }

    /// <summary>
    /// The business's published history, or null when no published week lists it. One round trip: the
    /// business's current description from <c>businesses</c>, its weeks from the index of
    /// <c>business_weeks</c> by BIN (the few weeks with a reason fetch it from the table), then its
    /// published replies and open review. The description is read once rather than repeated on each of the
    /// year's 52 rows, which the server would otherwise join and send for every week (docs/benchmarks.md,
    /// the business read).
    /// </summary>
    public static async Task<BusinessHistory?> FindAsync(NpgsqlDataSource dataSource, BusinessLookup lookup, CancellationToken cancellationToken)
    {
        var bin = lookup.Bin;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT name, category_code, district_code, address, joined_on FROM businesses WHERE bin = $1
            """) { Parameters = { new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT h.week_start, w.published_at, h.scans, CASE WHEN w.flagged_visitors_reported THEN h.flagged_visitors END, h.status,
                   CASE WHEN h.has_reason
                        THEN (SELECT r.reason FROM business_weeks r WHERE r.bin = h.bin AND r.week_start = h.week_start) END,
                   h.exclusion_source, w.source_sha256
            FROM business_weeks h
            JOIN weeks w ON w.week_start = h.week_start AND w.status = '{WeekStatuses.Published}'
            WHERE h.bin = $1
            ORDER BY h.week_start DESC
            """) { Parameters = { new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char } } });
        // A reply on a week since withdrawn is not shown: the week it answers is no longer public.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT r.id, r.week_start, r.author_name, r.author_role, r.statement, r.decided_at
            FROM business_replies r
            JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
            WHERE r.bin = $1 AND r.state = 'published'
            ORDER BY r.week_start DESC, r.decided_at DESC, r.id DESC
            """) { Parameters = { new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT (SELECT opened_at FROM business_reviews WHERE bin = $1 AND closed_at IS NULL),
                   GREATEST((SELECT max(decided_at) FROM business_replies WHERE bin = $1 AND state = 'published'),
                            (SELECT max(COALESCE(closed_at, opened_at)) FROM business_reviews WHERE bin = $1))
            """) { Parameters = { new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        BusinessProfile? profile = null;
        if (await reader.ReadAsync(cancellationToken))
            profile = new BusinessProfile(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4));
        await reader.NextResultAsync(cancellationToken);
        var weeks = new List<BusinessWeek>();
        while (await reader.ReadAsync(cancellationToken))
            weeks.Add(new BusinessWeek(
                reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7)));
        await reader.NextResultAsync(cancellationToken);
        var replies = new List<BusinessReply>();
        while (await reader.ReadAsync(cancellationToken))
            replies.Add(new BusinessReply(
                reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        await reader.NextResultAsync(cancellationToken);
        DateTimeOffset? underReview = null, statementsChanged = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            underReview = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
            statementsChanged = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        }
        return profile is null || weeks.Count == 0 ? null : new BusinessHistory(lookup.Id, lookup.Shown, profile, weeks)
        {
            Replies = replies,
            UnderReviewSince = underReview,
            StatementsChangedAt = statementsChanged,
        };
    }
}
