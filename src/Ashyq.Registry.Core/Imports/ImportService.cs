using System.Diagnostics;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// The weekly export pipeline: store the file as uploaded (<see cref="ImportStore"/>), then (in a job, or
/// in-process for the command line) load it into its week in one transaction (<see cref="WeekLoad"/>),
/// recording how it ended (<see cref="ImportRecords"/>). Running an import again is harmless: a finished
/// import is left as it is, and a half-done one was rolled back whole.
/// </summary>
public sealed class ImportService
{
    /// <summary>How many messages an import keeps; beyond it they are counted, not listed.</summary>
    public const int MaxStoredMessages = 100_000;

    private readonly NpgsqlDataSource dataSource;
    private readonly WeekPublisher publisher;
    private readonly IOptions<RegistryOptions> options;
    private readonly ILogger<ImportService> logger;
    private readonly ImportStore store;
    private readonly WeekLoad load;
    private readonly ImportRecords records;

    public ImportService(
        NpgsqlDataSource dataSource,
        WeekPublisher publisher,
        IOptions<RegistryOptions> options,
        TimeProvider clock,
        ILogger<ImportService> logger)
    {
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.options = options;
        this.logger = logger;
        store = new ImportStore(dataSource, options, clock, logger);
        load = new WeekLoad(dataSource, options, logger);
        records = new ImportRecords(dataSource);
    }

    /// <summary>
    /// Stores the file and its SHA-256 before anything else is done with it. The same bytes for the
    /// same week, already loaded or on their way, are recorded as a duplicate and not loaded again.
    /// </summary>
    public Task<StoredImport> StoreAsync(
        Stream content, string fileName, DateOnly weekStart, string uploadedBy, string source,
        bool publishWhenLoaded = false, string? ip = null, CancellationToken cancellationToken = default) =>
        store.StoreAsync(content, fileName, weekStart, uploadedBy, source, publishWhenLoaded, ip, cancellationToken);

    /// <summary>
    /// Stores the file and loads it here and now, as the command line and the demo do; a duplicate is
    /// not loaded again, and its outcome (state <see cref="ImportStates.Duplicate"/>) is returned.
    /// </summary>
    public async Task<ImportOutcome> StoreAndRunAsync(
        Stream content, string fileName, DateOnly weekStart, string uploadedBy, string source,
        bool publishWhenLoaded = false, CancellationToken cancellationToken = default)
    {
        var stored = await StoreAsync(content, fileName, weekStart, uploadedBy, source, publishWhenLoaded, cancellationToken: cancellationToken);
        return stored.IsDuplicate
            ? await GetOutcomeAsync(stored.Id, cancellationToken)
            : await RunAsync(stored.Id, cancellationToken);
    }

    /// <summary>Writes the stored file, exactly as uploaded, to <paramref name="target"/>; false when there is none.</summary>
    public Task<bool> CopyStoredFileAsync(long importId, Stream target, CancellationToken cancellationToken = default) =>
        store.CopyStoredFileAsync(importId, target, cancellationToken);

    public Task<ImportOutcome> GetOutcomeAsync(long importId, CancellationToken cancellationToken = default) =>
        records.GetOutcomeAsync(importId, cancellationToken);

    /// <summary>Marks an import failed for good (the job's retries are spent, or the caller gives up).</summary>
    public Task MarkFailedAsync(long importId, string reason, CancellationToken cancellationToken = default) =>
        records.MarkFailedAsync(importId, reason, cancellationToken);

    /// <summary>Puts a failed import back in the queue, keeping its stored file; returns false if it had not failed.</summary>
    public Task<bool> RequeueAsync(long importId, string actor, string? ip = null, CancellationToken cancellationToken = default) =>
        records.RequeueAsync(importId, actor, ip, cancellationToken);

    /// <summary>
    /// Loads a stored import. Safe to call again for the same import (a retry, a recovered job, a
    /// second node): a finished import is reported as it stands, and one already running elsewhere is left alone.
    /// </summary>
    public async Task<ImportOutcome> RunAsync(long importId, CancellationToken cancellationToken = default)
    {
        // Stored messages are codes with values and an English text, whoever runs the import: a job keeps
        // the culture of the request that queued it, and "19 990" in a Russian request's culture is not
        // the number the text promises. An async method's culture is its own; the caller's is untouched.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ImportLock.TryTakeAsync(guard, importId, cancellationToken))
        {
            // Another process holds the import: a live node still loading it, or the connection of a
            // node that died mid-load and whose server session has not yet noticed. Either way the
            // caller must come back later rather than treat the import as done.
            var current = await GetOutcomeAsync(importId, cancellationToken);
            if (current.State is ImportStates.Queued or ImportStates.Running)
                throw new ImportBusyException(importId);
            return current;
        }
        try
        {
            var header = await records.ClaimAsync(importId, cancellationToken);
            if (header is null)
                return await GetOutcomeAsync(importId, cancellationToken);

            var work = Path.Combine(WorkDirectory(), $"import-{importId}-{Guid.NewGuid():N}");
            using var messages = new MessageSpool(WorkDirectory(), MaxStoredMessages);
            var counts = new LoadCounts();
            try
            {
                var spooling = Stopwatch.StartNew();
                await store.SpoolStoredFileAsync(importId, work, cancellationToken);
                logger.LogInformation("Import {ImportId}: read the stored file back in {Seconds:0.00} s", importId, spooling.Elapsed.TotalSeconds);
                await load.LoadAsync(header, work, messages, counts, cancellationToken);
                logger.LogInformation("Import {ImportId} loaded week {Week}: {Loaded} rows, {Rejected} rejected, {Warnings} warnings",
                    importId, header.WeekStart, counts.Loaded, counts.Rejected, counts.Warnings);
            }
            catch (ExportFileException e)
            {
                messages.Add(new ExportMessage(MessageSeverity.FileError, e.Code, e.Message, Args: e.Args));
                await records.RecordFailureAsync(importId, e.Message, messages, counts, cancellationToken);
                logger.LogWarning("Import {ImportId} refused: {Reason}", importId, e.Message);
                return await GetOutcomeAsync(importId, cancellationToken);
            }
            catch (Exception e) when (!IsWorthRetrying(e))
            {
                var reason = $"The file could not be loaded: {e.Message}";
                // The fault is the registry's, not the file's: staff read that in their language, with the
                // technical detail as it was raised (the log has the rest).
                messages.Add(new ExportMessage(MessageSeverity.FileError, "load_failed", reason,
                    Args: ExportMessageCodes.Values(null, ("detail", e.Message))));
                await records.RecordFailureAsync(importId, reason, messages, counts, CancellationToken.None);
                logger.LogError(e, "Import {ImportId} failed", importId);
                return await GetOutcomeAsync(importId, CancellationToken.None);
            }
            catch (Exception e)
            {
                await records.ReturnToQueueAsync(importId, $"Attempt failed and will be retried: {e.Message}", CancellationToken.None);
                throw;
            }
            finally
            {
                WorkFiles.TryDelete(work);
            }

            if (header.PublishWhenLoaded)
                await publisher.PublishAsync(header.WeekStart, header.UploadedBy, confirmEarlierDrafts: true, cancellationToken: cancellationToken);
            return await GetOutcomeAsync(importId, cancellationToken);
        }
        finally
        {
            await ImportLock.ReleaseAsync(guard, importId, CancellationToken.None);
        }
    }

    /// <summary>Database hiccups and full disks may pass; a bug or a broken file will not.</summary>
    private static bool IsWorthRetrying(Exception e) => e switch
    {
        OperationCanceledException => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        IOException => true,
        TimeoutException => true,
        _ => false,
    };

    private string WorkDirectory() => options.Value.WorkDirectory();
}
