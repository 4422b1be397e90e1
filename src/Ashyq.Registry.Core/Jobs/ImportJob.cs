using Ashyq.Registry.Core.Imports;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>
/// Runs one stored import. Thin on purpose: the import service does the work and is safe to run
/// again, which is what a retry, a second job for the same import or a recovery after a node died amounts to.
/// </summary>
public sealed class ImportJob(ImportService imports, ILogger<ImportJob> logger)
{
    public const int MaxRetries = 3;

    /// <param name="context">Given by the job server when it runs the job; null when enqueued.</param>
    [AutomaticRetry(Attempts = MaxRetries, DelaysInSeconds = [15, 30, 60], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task RunAsync(long importId, PerformContext? context, CancellationToken cancellationToken)
    {
        var retry = context?.GetJobParameter<int>("RetryCount") ?? 0;
        try
        {
            // Running already means that the attempt before this one ended without a word: its node died.
            if ((await imports.GetOutcomeAsync(importId, cancellationToken)).State == ImportStates.Running)
                logger.LogWarning("Recovering import {ImportId} after a node stopped during it", importId);
            await imports.RunAsync(importId, cancellationToken);
        }
        catch (ImportBusyException) when (retry >= MaxRetries)
        {
            // Someone still holds the import. If it is a process that died, the sweep queues the import again.
            logger.LogWarning("Import {ImportId} was still held by another process after {Attempts} attempts", importId, retry + 1);
        }
        catch (Exception e) when (retry >= MaxRetries && e is not OperationCanceledException)
        {
            await imports.MarkFailedAsync(importId, $"Gave up after {MaxRetries + 1} attempts: {e.Message}", CancellationToken.None);
            logger.LogError(e, "Import {ImportId} failed for good", importId);
            throw;
        }
    }
}
