using Hangfire;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>Queues every import that is waiting for a job it does not have; one node at a time.</summary>
public sealed class ImportSweepJob(ImportQueue queue)
{
    public const string Id = "import-sweep";

    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAsync(CancellationToken cancellationToken) => queue.SweepAsync(cancellationToken);
}
