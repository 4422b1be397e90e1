using Quartz;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>Hands a stored import to the clustered scheduler; asking twice for one import schedules it once.</summary>
public sealed class ImportQueue(ISchedulerFactory schedulers)
{
    public const string Group = "imports";

    public static JobKey KeyFor(long importId) => new($"import-{importId}", Group);

    public async Task EnqueueAsync(long importId, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<ImportJob>()
            .WithIdentity(KeyFor(importId))
            .UsingJobData(ImportJob.ImportIdKey, importId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"import-{importId}", Group)
            .ForJob(job)
            .StartNow()
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, default, cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already queued or running under this key: nothing more to do.
        }
    }
}
