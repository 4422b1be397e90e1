using Ashyq.Registry.Core.Imports;
using Quartz;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>Scans the inbox folder on its schedule; one node of the cluster at a time.</summary>
[DisallowConcurrentExecution]
public sealed class InboxScanJob(InboxScanner scanner) : IJob
{
    public static readonly JobKey Key = new("inbox-scan", "inbox");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await scanner.ScanAsync(cancellationToken);
}
