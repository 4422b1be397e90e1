using Ashyq.Registry.Core.Imports;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>
/// Gives stored imports their jobs. The import's own row, stored as queued, is the record that a job
/// is owed: it is written in the same transaction as the file, so a hand-over that fails after it
/// (the process dies, the job store cannot be written) leaves an import that the sweep finds and
/// queues. Asking twice for one import queues it once.
/// </summary>
public sealed class ImportQueue(
    NpgsqlDataSource dataSource, ImportService imports, IBackgroundJobClient jobs, JobStorage storage, IOptions<JobOptions> options,
    ILogger<ImportQueue> logger)
{
    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase)
    {
        EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName,
    };

    /// <summary>
    /// Stores the file and hands it to a job, as an upload and the inbox do; a duplicate has nothing to
    /// load and gets no job. A hand-over that fails leaves the stored import to the sweep.
    /// </summary>
    public async Task<StoredImport> StoreAndQueueAsync(
        Stream content, string fileName, DateOnly weekStart, string uploadedBy, string source, string? ip = null,
        CancellationToken cancellationToken = default)
    {
        var stored = await imports.StoreAsync(content, fileName, weekStart, uploadedBy, source, publishWhenLoaded: false, ip, cancellationToken);
        if (!stored.IsDuplicate)
            await HandOverAsync(stored.Id, cancellationToken);
        return stored;
    }

    /// <summary>
    /// Queues a job for the import unless it is finished or already has a live job (waiting, running
    /// or waiting to retry). The import's row stays locked while this is decided, so two nodes asking
    /// at once queue one job. Returns whether a job was queued; throws when the job store cannot be written.
    /// </summary>
    public async Task<bool> EnqueueAsync(long importId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? jobId;
        await using (var find = new NpgsqlCommand(
            $"SELECT job_id FROM imports WHERE id = $1 AND state IN ('{ImportStates.Queued}', '{ImportStates.Running}') FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new() { Value = importId });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return false;
            jobId = reader.IsDBNull(0) ? null : reader.GetString(0);
        }
        if (jobId is not null && IsLive(jobId))
            return false;

        var queued = jobs.Enqueue<ImportJob>(job => job.RunAsync(importId, null, CancellationToken.None));
        await using (var record = new NpgsqlCommand("UPDATE imports SET job_id = $2 WHERE id = $1", connection, transaction))
        {
            record.Parameters.Add(new() { Value = importId });
            record.Parameters.Add(new() { Value = queued });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Right after an import was stored or put back: queues it now if the job store can be written,
    /// and otherwise leaves it to the sweep. The import is safe either way.
    /// </summary>
    public async Task HandOverAsync(long importId, CancellationToken cancellationToken = default)
    {
        try
        {
            await EnqueueAsync(importId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Import {ImportId} is stored but its job could not be queued now; the sweep will queue it", importId);
        }
    }

    /// <summary>
    /// Queues every import that waits for a job it does not have: queued or running, no live job, and
    /// held by no process (an import run in-line by the command line holds its lock). Returns the imports queued.
    /// </summary>
    public async Task<IReadOnlyList<long>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var waiting = new List<long>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT i.id FROM imports i
            WHERE i.state IN ('{ImportStates.Queued}', '{ImportStates.Running}')
              AND coalesce(i.started_at, i.uploaded_at) < now() - make_interval(secs => $1)
              AND NOT EXISTS (
                  SELECT 1 FROM pg_locks l
                  WHERE l.locktype = 'advisory' AND l.classid = $2::bigint::oid AND l.objid = i.id::oid AND l.objsubid = 2
                    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            ORDER BY i.id
            """))
        {
            command.Parameters.Add(new() { Value = (double)options.Value.OrphanAfterSeconds });
            command.Parameters.Add(new() { Value = (long)ImportLock.ClassId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                waiting.Add(reader.GetInt64(0));
        }

        var queued = new List<long>();
        foreach (var importId in waiting)
        {
            if (await EnqueueAsync(importId, cancellationToken))
            {
                queued.Add(importId);
                logger.LogWarning("Import {ImportId} was waiting without a job; queued it", importId);
            }
        }
        return queued;
    }

    private bool IsLive(string jobId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetJobData(jobId)?.State;
        return state is not null && LiveStates.Contains(state);
    }
}
