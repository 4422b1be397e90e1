using Ashyq.Registry.Core.Imports;
using Hangfire;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>Scans the inbox folder on its schedule; one node of the cluster at a time.</summary>
public sealed class InboxScanJob(InboxScanner scanner)
{
    public const string Id = "inbox-scan";

    // A scan that finds the previous one still running is dropped: the next one comes soon enough.
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAsync(CancellationToken cancellationToken) => scanner.ScanAsync(cancellationToken);
}
