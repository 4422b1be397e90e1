using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Imports;
using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

public enum DiscardOutcome
{
    Discarded,
    NotFound,

    /// <summary>The week is published or withdrawn: only a draft is discarded.</summary>
    NotDraft,
}

/// <summary>Draft weeks, loaded and never published, taken back.</summary>
public sealed class WeekDrafts(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Discards a draft week in one transaction: its partition of rows, its counts and the week itself go;
    /// its import stays, with the stored file, marked discarded, and the audit log says who discarded it.
    /// Nothing public changes: a draft was never on the public site.
    /// </summary>
    public async Task<DiscardOutcome> DiscardAsync(DateOnly week, string actor, string? ip = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The lock every change to the set of weeks takes, so a load or a publish of the week waits for this.
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        string? status;
        long importId;
        await using (var find = new NpgsqlCommand("SELECT status, import_id FROM weeks WHERE week_start = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return DiscardOutcome.NotFound;
            status = reader.GetString(0);
            importId = reader.GetInt64(1);
        }
        if (status != WeekStatuses.Draft)
            return DiscardOutcome.NotDraft;

        var sql = await WeekPartitions.DropSqlAsync(connection, transaction, week, cancellationToken) + $"""
            DELETE FROM week_counts WHERE week_start = @week;
            DELETE FROM weeks WHERE week_start = @week;
            UPDATE imports SET state = '{ImportStates.Discarded}' WHERE id = @import AND state = '{ImportStates.Loaded}';
            """;
        await WeekDerivation.ExecuteAsync(connection, transaction, sql, cancellationToken, ("week", week), ("import", importId));
        await AuditLog.WriteAsync(connection, transaction, actor, "week.discard", week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"draft of import {importId} discarded; the import and its stored file are kept", ip, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DiscardOutcome.Discarded;
    }
}
