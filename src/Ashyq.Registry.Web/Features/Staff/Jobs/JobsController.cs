using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Ashyq.Registry.Web.Features.Staff.Jobs;

/// <summary>The job scheduler as the cluster sees it: its nodes, what runs, what is scheduled, what failed.</summary>
[Route("staff/jobs")]
public sealed class JobsController(ISchedulerFactory schedulers, RegistryDbContext db) : StaffController
{
    public const int ShownTriggers = 200;

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var meta = await scheduler.GetMetadata(cancellationToken);
        var nodes = await scheduler.QueryClusterNodes(cancellationToken);
        var running = await scheduler.QueryFireInstances(new FireInstanceQuery(), cancellationToken);
        var triggers = await scheduler.QueryTriggers(new TriggerQuery { Take = ShownTriggers }, cancellationToken);
        var failedImports = await db.Imports.AsNoTracking()
            .Where(i => i.State == ImportStates.Failed)
            .OrderByDescending(i => i.Id)
            .Take(20)
            .Select(i => new FailedImport(i.Id, i.FileName, i.WeekStart, i.FinishedAt, i.Error))
            .ToListAsync(cancellationToken);

        var inbox = triggers.Items.FirstOrDefault(t => t.JobKey.Equals(InboxScanJob.Key));
        return View(new JobsPage(
            meta.SchedulerName, meta.SchedulerInstanceId, meta.Status.ToString(),
            meta.RunningSince, meta.JobsExecuted, meta.JobStoreClustered,
            nodes.Select(n => new NodeRow(n.InstanceId, n.LastCheckInUtc, n.CheckInInterval, n.State.ToString(), n.IsCurrentNode)).ToList(),
            running.Items.Select(f => new RunningRow(f.JobKey?.ToString() ?? f.TriggerKey.ToString(), f.SchedulerInstanceId, f.FireTimeUtc, f.State.ToString())).ToList(),
            triggers.Items.Where(t => t.State != TriggerState.Error)
                .Select(t => new TriggerRow(t.Key.ToString(), t.JobKey.ToString(), t.State.ToString(), t.NextFireTimeUtc, t.PreviousFireTimeUtc, t.RetryAttempt))
                .ToList(),
            triggers.Items.Where(t => t.State == TriggerState.Error)
                .Select(t => new TriggerRow(t.Key.ToString(), t.JobKey.ToString(), t.State.ToString(), t.NextFireTimeUtc, t.PreviousFireTimeUtc, t.RetryAttempt))
                .ToList(),
            failedImports,
            inbox is not null,
            inbox?.NextFireTimeUtc));
    }
}

public sealed record NodeRow(string InstanceId, DateTimeOffset? LastCheckIn, TimeSpan? CheckInInterval, string State, bool IsCurrent);

public sealed record RunningRow(string Job, string Node, DateTimeOffset FiredAt, string State);

public sealed record TriggerRow(string Trigger, string Job, string State, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire, int RetryAttempt);

public sealed record FailedImport(long Id, string FileName, DateOnly WeekStart, DateTimeOffset? FinishedAt, string? Error);

public sealed record JobsPage(
    string SchedulerName, string InstanceId, string Status, DateTimeOffset? RunningSince, long JobsExecuted, bool Clustered,
    IReadOnlyList<NodeRow> Nodes, IReadOnlyList<RunningRow> Running, IReadOnlyList<TriggerRow> Scheduled,
    IReadOnlyList<TriggerRow> FailedTriggers, IReadOnlyList<FailedImport> FailedImports, bool InboxOn, DateTimeOffset? InboxNextScan);
