using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Ashyq.Registry.Core.Jobs;

public static class Extensions
{

    /// <summary>The import pipeline's services, usable with or without the scheduler running.</summary>
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddSingleton<WeekPublisher>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ImportQueue>();
        services.AddSingleton<InboxScanner>();
        services.AddSingleton<Demo.DemoSeeder>();
        return services;
    }

    /// <summary>
    /// The clustered, persistent scheduler on the registry's own database: every node of the site runs
    /// one, and each job fires on exactly one of them.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, bool runScheduler = true)
    {
        var registry = configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(db => db.ConnectionStringName = Core.Extensions.ConnectionStringName);
                store.UseSystemTextJsonSerializer();
                // A node that stops checking in for 15 s is taken for dead, and its recoverable jobs run elsewhere.
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(5);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                });
                store.ProvisionSchema();
            });
            if (!string.IsNullOrWhiteSpace(registry.InboxPath))
            {
                q.ScheduleJob<InboxScanJob>(
                    trigger => trigger.WithIdentity("inbox-scan", "inbox")
                        .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(registry.InboxScanMinutes)).RepeatForever()),
                    job => job.WithIdentity(InboxScanJob.Key));
            }
        });
        if (runScheduler)
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
