using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Privacy;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

public enum ReplaceOutcome
{
    Replaced,
    NotFound,

    /// <summary>The week is not published (any more): a draft or withdrawn week is simply loaded again and published.</summary>
    NotPublished,

    /// <summary>No file waits to replace the week.</summary>
    NoReplacement,

    /// <summary>Another file now waits to replace the week than the one the caller reviewed; nothing changed.</summary>
    ImportChanged,
}

/// <summary>A file loaded for a published week, waiting beside the published version to replace it.</summary>
public sealed record PendingReplacement(DateOnly Week, long ImportId, DateTimeOffset LoadedAt)
{
    /// <summary>The table of its rows, named as a load names a week's partition; it becomes the partition when published.</summary>
    public string Rows => WeekPartitions.NewName(Week, ImportId);
}

/// <summary>
/// Replacing a published week with another file. The load puts the new file's rows in a table of their
/// own beside the published partition (<c>week_replacements</c> says which); the week stays public from the
/// old version meanwhile. Publishing the replacement is one transaction: the exclusion rule applied to
/// the new rows and the week's counts derived from them, the old partition dropped and the new table
/// attached in its place, every later week re-derived, the public view of the businesses of both versions
/// rebuilt, the replaced version recorded (<c>week_versions</c>, the audit log), a notification sent and the
/// week's follow emails requested.
/// A reader sees the old version until the commit and the new one after it, never no week: the week's
/// status stays published throughout, and a public read of the week's rows waits for the commit rather
/// than finding the partition gone.
/// </summary>
public sealed class WeekReplacements(
    NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, TimeProvider clock, IBackgroundJobClient? jobs = null)
{
    public async Task<PendingReplacement?> PendingAsync(DateOnly week, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT r.import_id, r.loaded_at FROM week_replacements r JOIN weeks w ON w.week_start = r.week_start
            WHERE r.week_start = $1 AND w.status = 'published'
            """);
        command.Parameters.Add(new() { Value = week });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PendingReplacement(week, reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

    /// <param name="expectedImportId">The replacement's import the caller reviewed; another one waiting by now publishes nothing.</param>
    public async Task<ReplaceOutcome> PublishAsync(
        DateOnly week, string actor, string reason, long expectedImportId, string? ip = null, string? auditDetails = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A reason is required to replace a published week.", nameof(reason));
        reason = reason.Trim();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The lock every change to the set of weeks takes first, as publishing and loading do.
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        long oldImport;
        int[] before;
        await using (var find = new NpgsqlCommand(
            "SELECT status, import_id, participants, leaders, outsiders, excluded FROM weeks WHERE week_start = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return ReplaceOutcome.NotFound;
            if (reader.GetString(0) != WeekStatuses.Published)
                return ReplaceOutcome.NotPublished;
            oldImport = reader.GetInt64(1);
            before = [reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)];
        }

        long? waiting;
        await using (var find = new NpgsqlCommand("SELECT import_id FROM week_replacements WHERE week_start = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            waiting = (long?)await find.ExecuteScalarAsync(cancellationToken);
        }
        if (waiting is null)
            return ReplaceOutcome.NoReplacement;
        if (waiting != expectedImportId)
            return ReplaceOutcome.ImportChanged;
        var replacement = new PendingReplacement(week, expectedImportId, default);
        var n = options.Value.ExclusionWeeks;

        // The new rows, ruled and counted while still a table of their own: readers of the public site
        // are not kept waiting for this part.
        await WeekDerivation.ExecuteAsync(connection, transaction, $"""
            UPDATE {replacement.Rows} SET status = file_status, exclusion_source = NULL WHERE exclusion_source = 'rule';
            UPDATE weeks w SET import_id = r.import_id, source_sha256 = r.source_sha256, loaded_at = r.loaded_at,
                               flagged_visitors_reported = r.flagged_visitors_reported, published_at = @now, published_by = @actor
            FROM week_replacements r
            WHERE w.week_start = @week AND r.week_start = @week;
            """, cancellationToken, ("week", week), ("now", clock.GetUtcNow()), ("actor", actor));
        await WeekDerivation.ApplyExclusionRuleToNewRowsAsync(connection, transaction, replacement.Rows, week, n, cancellationToken);
        await WeekDerivation.RecountAsync(connection, transaction, week, cancellationToken, replacement.Rows);
        int[] after;
        await using (var counts = new NpgsqlCommand(
            "SELECT participants, leaders, outsiders, excluded FROM weeks WHERE week_start = $1", connection, transaction))
        {
            counts.Parameters.Add(new() { Value = week });
            await using var reader = await counts.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            after = [reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)];
        }

        // The businesses of the old version, some of which the new one may no longer list.
        await WeekDerivation.ExecuteAsync(connection, transaction, """
            CREATE TEMP TABLE replaced_bins ON COMMIT DROP AS SELECT bin FROM week_rows WHERE week_start = @week;
            DELETE FROM week_replacements WHERE week_start = @week;
            -- The old version's history goes with it, so that the refresh below takes the week as published
            -- just now and writes all of the new version's rows.
            DELETE FROM business_weeks WHERE week_start = @week;
            """, cancellationToken, ("week", week));
        // From here until the commit, public reads of rows wait on the parent table's lock.
        await WeekPartitions.SwapInAsync(connection, transaction, replacement.Rows, week, cancellationToken);
        var later = await WeekDerivation.RederiveLaterWeeksAsync(connection, transaction, week, n, cancellationToken);
        await WeekDerivation.RebuildBusinessesListedInAsync(connection, transaction, [week, .. later], cancellationToken, alsoBinsOf: "replaced_bins");
        await WeekDerivation.RefreshBusinessWeeksAsync(connection, transaction, [week, .. later], cancellationToken);
        await PersonalNumbers.AssignPublicIdsAsync(connection, transaction, week, cancellationToken);

        await WeekDerivation.ExecuteAsync(connection, transaction, $"""
            DROP TABLE replaced_bins;
            UPDATE imports SET state = '{ImportStates.Replaced}' WHERE id = @old AND state = '{ImportStates.Loaded}';
            INSERT INTO week_versions (week_start, import_id, replaced_by_import, replaced_at, replaced_by, reason,
                                       participants_before, leaders_before, outsiders_before, excluded_before,
                                       participants_after, leaders_after, outsiders_after, excluded_after)
            VALUES (@week, @old, @new, @now, @actor, @reason, @b0, @b1, @b2, @b3, @a0, @a1, @a2, @a3);
            """, cancellationToken, ("week", week), ("old", oldImport), ("new", expectedImportId), ("now", clock.GetUtcNow()),
            ("actor", actor), ("reason", reason), ("b0", before[0]), ("b1", before[1]), ("b2", before[2]), ("b3", before[3]),
            ("a0", after[0]), ("a1", after[1]), ("a2", after[2]), ("a3", after[3]));
        var details = $"import {oldImport} replaced by import {expectedImportId}: participants {before[0]} → {after[0]}, " +
                      $"leaders {before[1]} → {after[1]}, outsiders {before[2]} → {after[2]}, excluded {before[3]} → {after[3]}; reason: {reason}" +
                      (auditDetails is null ? "" : "; " + auditDetails);
        await AuditLog.WriteAsync(connection, transaction, actor, "week.replace", week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), details, ip, cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
        // The followers hear of the corrected week as of a published one (FollowMailing says who is mailed again).
        await FollowMailing.RequestAsync(connection, transaction, week, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        FollowMailJob.TryQueue(jobs, week);
        return ReplaceOutcome.Replaced;
    }

    /// <summary>
    /// Takes back the file waiting to replace the week: its table and its place go, its import stays with
    /// the stored file, marked discarded, and the audit log says who. The published version is untouched.
    /// </summary>
    public async Task<bool> DiscardAsync(DateOnly week, string actor, string? ip = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        if (await DropPendingAsync(connection, transaction, week, cancellationToken) is not { } importId)
            return false;
        await AuditLog.WriteAsync(connection, transaction, actor, "week.discard", week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"replacement from import {importId} discarded; the published version stays, the import and its stored file are kept", ip, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Drops the week's waiting replacement, if any (its table, its row; its import marked discarded, so
    /// that the file loads again), inside the caller's transaction, which holds the week lock. Returns its import.
    /// </summary>
    internal static async Task<long?> DropPendingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        long? importId;
        await using (var find = new NpgsqlCommand("DELETE FROM week_replacements WHERE week_start = $1 RETURNING import_id", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            importId = (long?)await find.ExecuteScalarAsync(cancellationToken);
        }
        if (importId is not { } id)
            return null;
        await WeekDerivation.ExecuteAsync(connection, transaction, $"""
            DROP TABLE IF EXISTS {WeekPartitions.NewName(week, id)};
            UPDATE imports SET state = '{ImportStates.Discarded}' WHERE id = @import AND state = '{ImportStates.Loaded}';
            """, cancellationToken, ("import", id));
        return id;
    }
}
