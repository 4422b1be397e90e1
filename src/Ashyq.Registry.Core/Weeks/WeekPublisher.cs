using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Core.Privacy;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

public enum PublishOutcome
{
    Published,
    AlreadyPublished,
    NotFound,
    /// <summary>An earlier week is still a draft; the caller must confirm, since the rule counts published weeks only.</summary>
    NeedsConfirmation,

    /// <summary>The week now holds another import than the one the caller reviewed; nothing was published.</summary>
    ImportChanged,
}

public enum WithdrawOutcome
{
    Withdrawn,
    NotPublished,
    NotFound,
}

/// <summary>
/// Publishing and withdrawing a week. Each is one transaction: the week's status, the rule and counts
/// of every later week, the public view of businesses and the audit entry change together, and a
/// notification tells every node of the site to drop its cached pages when it commits. A publish also
/// records the week's follow emails (the outbox the upkeep reads) and, once committed, queues their job.
/// </summary>
public sealed class WeekPublisher(
    NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, TimeProvider clock, IBackgroundJobClient? jobs = null)
{
    /// <param name="expectedImportId">
    /// The import the caller reviewed: when the week holds another one by the time its lock is taken (a
    /// new file loaded meanwhile), nothing is published, since what was reviewed is not what would go public.
    /// </param>
    public async Task<PublishOutcome> PublishAsync(
        DateOnly week, string actor, bool confirmEarlierDrafts = false, string? ip = null, long? expectedImportId = null,
        string? auditDetails = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await LockWeekAsync(connection, transaction, week, cancellationToken);
        switch (status)
        {
            case null:
                return PublishOutcome.NotFound;
            case WeekStatuses.Published:
                return PublishOutcome.AlreadyPublished;
        }

        if (expectedImportId is { } expected)
        {
            await using var current = new NpgsqlCommand("SELECT import_id FROM weeks WHERE week_start = $1", connection, transaction);
            current.Parameters.Add(new() { Value = week });
            if ((long?)await current.ExecuteScalarAsync(cancellationToken) != expected)
                return PublishOutcome.ImportChanged;
        }

        if (!confirmEarlierDrafts && await EarlierDraftExistsAsync(connection, transaction, week, cancellationToken))
            return PublishOutcome.NeedsConfirmation;

        await using (var update = new NpgsqlCommand($"""
            UPDATE weeks SET status = '{WeekStatuses.Published}', published_at = $2, published_by = $3,
                             withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL
            WHERE week_start = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = week });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            update.Parameters.Add(new() { Value = actor });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var n = options.Value.ExclusionWeeks;
        // The load applied the rule and counted the week; they are redone only where a week published
        // since then changed what the rule finds.
        if (await WeekDerivation.ApplyExclusionRuleAsync(connection, transaction, week, n, cancellationToken) > 0)
            await WeekDerivation.RecountAsync(connection, transaction, week, cancellationToken);
        var later = await WeekDerivation.RederiveLaterWeeksAsync(connection, transaction, week, n, cancellationToken);
        if (later.Length == 0)
            await WeekDerivation.RefreshBusinessesAfterPublishAsync(connection, transaction, week, cancellationToken);
        else
            await WeekDerivation.RebuildBusinessesListedInAsync(connection, transaction, [week, .. later], cancellationToken);
        await WeekDerivation.RefreshBusinessWeeksAsync(connection, transaction, [week, .. later], cancellationToken);
        await PersonalNumbers.AssignPublicIdsAsync(connection, transaction, week, cancellationToken);

        await AuditLog.WriteAsync(connection, transaction, actor, "week.publish", week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), auditDetails, ip, cancellationToken);
        await FollowMailing.RequestAsync(connection, transaction, week, clock.GetUtcNow(), cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        FollowMailJob.TryQueue(jobs, week);
        return PublishOutcome.Published;
    }

    public async Task<WithdrawOutcome> WithdrawAsync(
        DateOnly week, string actor, string reason, string? ip = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A reason is required to withdraw a week.", nameof(reason));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await LockWeekAsync(connection, transaction, week, cancellationToken);
        if (status is null)
            return WithdrawOutcome.NotFound;
        if (status != WeekStatuses.Published)
            return WithdrawOutcome.NotPublished;

        await using (var update = new NpgsqlCommand($"""
            UPDATE weeks SET status = '{WeekStatuses.Withdrawn}', withdrawn_at = $2, withdrawn_by = $3, withdraw_reason = $4
            WHERE week_start = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = week });
            update.Parameters.Add(new() { Value = clock.GetUtcNow() });
            update.Parameters.Add(new() { Value = actor });
            update.Parameters.Add(new() { Value = reason.Trim() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var later = await WeekDerivation.RederiveLaterWeeksAsync(connection, transaction, week, options.Value.ExclusionWeeks, cancellationToken);
        await WeekDerivation.RebuildBusinessesListedInAsync(connection, transaction, [week, .. later], cancellationToken);
        await WeekDerivation.RefreshBusinessWeeksAsync(connection, transaction, [week, .. later], cancellationToken);
        await AuditLog.WriteAsync(connection, transaction, actor, "week.withdraw", week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason.Trim(), ip, cancellationToken);
        await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WithdrawOutcome.Withdrawn;
    }

    /// <summary>Draft weeks older than the given one: publishing past them skips them in the rule.</summary>
    public async Task<IReadOnlyList<DateOnly>> EarlierDraftsAsync(DateOnly week, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT week_start FROM weeks WHERE status = '{WeekStatuses.Draft}' AND week_start < $1 ORDER BY week_start");
        command.Parameters.Add(new() { Value = week });
        var drafts = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            drafts.Add(reader.GetFieldValue<DateOnly>(0));
        return drafts;
    }

    private static async Task<string?> LockWeekAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        // Publishing, withdrawing and loading take the weeks in the same order (this lock first), so
        // two of them never interleave on the rule's view of the published weeks.
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new() { Value = week });
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<bool> EarlierDraftExistsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM weeks WHERE status = '{WeekStatuses.Draft}' AND week_start < $1)", connection, transaction);
        command.Parameters.Add(new() { Value = week });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
