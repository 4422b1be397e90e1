using Ashyq.Registry.Core.Imports;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>
/// Runs one stored import. Thin on purpose: the import service does the work and is safe to run
/// again, which is what a retry or a recovery after a node died amounts to.
/// </summary>
[RetryPolicy(MaxRetries, "00:00:15", 2, MaxDelay = "00:05:00")]
public sealed class ImportJob(ImportService imports, ILogger<ImportJob> logger) : IJob
{
    public const int MaxRetries = 3;
    public const string ImportIdKey = "importId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var importId = context.MergedJobDataMap.GetLong(ImportIdKey);
        if (context.Recovering)
            logger.LogWarning("Recovering import {ImportId} after a node stopped during it", importId);
        try
        {
            await imports.RunAsync(importId, cancellationToken);
        }
        catch (Exception e) when (context.RetryAttempt >= MaxRetries && e is not OperationCanceledException)
        {
            await imports.MarkFailedAsync(importId, $"Gave up after {MaxRetries + 1} attempts: {e.Message}", CancellationToken.None);
            logger.LogError(e, "Import {ImportId} failed for good", importId);
        }
    }
}
