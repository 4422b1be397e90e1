using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Web.Localization;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Ashyq.Registry.Web.Features.Staff.Jobs;

/// <summary>The job servers as the cluster sees them: its nodes, what runs, what waits, what failed.</summary>
[Route("staff/jobs")]
public sealed class JobsController(JobStorage storage, JobServerName serverName, RegistryDbContext db, Texts texts) : StaffController
{
    public const int ShownJobs = 200;
    public const string DashboardPath = "/staff/jobs/hangfire";

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var monitoring = storage.GetMonitoringApi();
        var servers = monitoring.Servers();
        var statistics = monitoring.GetStatistics();
        var processing = monitoring.ProcessingJobs(0, ShownJobs);
        var scheduled = monitoring.ScheduledJobs(0, ShownJobs);
        var enqueued = monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, ShownJobs)).ToList();
        var failed = monitoring.FailedJobs(0, 20);
        List<Hangfire.Storage.RecurringJobDto> recurring;
        var retries = new Dictionary<string, int>();
        using (var connection = storage.GetConnection())
        {
            recurring = connection.GetRecurringJobs();
            foreach (var id in scheduled.Select(j => j.Key).Concat(enqueued.Select(j => j.Key)))
                retries[id] = int.TryParse(connection.GetJobParameter(id, "RetryCount"), out var count) ? count : 0;
        }
        var failedImports = await db.Imports.AsNoTracking()
            .Where(i => i.State == ImportStates.Failed)
            .OrderByDescending(i => i.Id)
            .Take(20)
            .Select(i => new FailedImport(i.Id, i.FileName, i.WeekStart, i.FinishedAt, i.Error))
            .ToListAsync(cancellationToken);

        var current = servers.FirstOrDefault(s => serverName.IsThis(s.Name));
        var inbox = recurring.FirstOrDefault(r => r.Id == InboxScanJob.Id);
        var waiting = enqueued
            .Select(j => new TriggerRow(j.Key, Describe(j.Value.Job), State(j.Value.State ?? "Enqueued"), Utc(j.Value.EnqueuedAt), null, retries[j.Key]))
            .Concat(scheduled.Select(j => new TriggerRow(j.Key, Describe(j.Value.Job), State("Scheduled"), Utc(j.Value.EnqueueAt), null, retries[j.Key])))
            .Concat(recurring.Select(r => new TriggerRow(r.Id, r.Id, texts.Format("staff.jobs.state.recurring", r.Cron), Utc(r.NextExecution), Utc(r.LastExecution), 0)))
            .ToList();
        return View(new JobsPage(
            "Hangfire, PostgreSQL", serverName.Value, texts[current is null ? "staff.jobs.state.not-joined" : "staff.jobs.state.running"],
            Utc(current?.StartedAt), statistics.Succeeded, servers.Count > 0,
            servers.OrderBy(s => s.Name, StringComparer.Ordinal)
                .Select(s => new NodeRow(s.Name, Utc(s.Heartbeat), null, texts.Format("staff.jobs.workers", s.WorkersCount), serverName.IsThis(s.Name))).ToList(),
            processing.Select(j => new RunningRow(Describe(j.Value.Job), j.Value.ServerId ?? "", Utc(j.Value.StartedAt) ?? default, State("Processing"))).ToList(),
            waiting,
            failed.Select(j => new TriggerRow(j.Key, Describe(j.Value.Job), texts.Format("staff.jobs.state.failed", j.Value.ExceptionMessage), null, Utc(j.Value.FailedAt), 0)).ToList(),
            failedImports,
            inbox is not null,
            Utc(inbox?.NextExecution)));
    }

    private string Describe(Job? job) => job switch
    {
        null => "?",
        { Type.Name: nameof(ImportJob) } => texts.Format("staff.jobs.import", job.Args[0]),
        _ => job.Type.Name,
    };

    /// <summary>A job state of the scheduler in the reader's language; a state it has no words for is shown by its name.</summary>
    private string State(string name) => texts.Has("staff.jobs.state." + name) ? texts["staff.jobs.state." + name] : name;

    private static DateTimeOffset? Utc(DateTime? at) =>
        at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}

public sealed record NodeRow(string InstanceId, DateTimeOffset? LastCheckIn, TimeSpan? CheckInInterval, string State, bool IsCurrent);

public sealed record RunningRow(string Job, string Node, DateTimeOffset FiredAt, string State);

public sealed record TriggerRow(string Trigger, string Job, string State, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire, int RetryAttempt);

public sealed record FailedImport(long Id, string FileName, DateOnly WeekStart, DateTimeOffset? FinishedAt, string? Error);

public sealed record JobsPage(
    string SchedulerName, string InstanceId, string Status, DateTimeOffset? RunningSince, long JobsExecuted, bool Clustered,
    IReadOnlyList<NodeRow> Nodes, IReadOnlyList<RunningRow> Running, IReadOnlyList<TriggerRow> Scheduled,
    IReadOnlyList<TriggerRow> FailedTriggers, IReadOnlyList<FailedImport> FailedImports, bool InboxOn, DateTimeOffset? InboxNextScan);
