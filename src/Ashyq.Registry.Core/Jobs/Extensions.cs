using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Core.Jobs;

public static class Extensions
{
    /// <summary>The schema of the job store, beside the registry's tables in the same database.</summary>
    public const string SchemaName = "hangfire";

    /// <summary>The import pipeline's services, usable with or without a job server running.</summary>
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddSingleton<WeekPublisher>();
        services.AddSingleton<WeekDrafts>();
        services.AddSingleton<WeekReplacements>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ImportQueue>();
        services.AddSingleton<InboxScanner>();
        services.AddSingleton<Demo.DemoSeeder>();
        return services;
    }

    /// <summary>
    /// The job store on the registry's own database, and (unless <paramref name="runServer"/> is false,
    /// as for the command-line verbs) a job server: every node of the site runs one, and each job runs
    /// on one of them. The store's schema is installed by the migrate verb, never here.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, bool runServer = true)
    {
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Registered before the library's own defaults, which are process-wide: several hosts in one
        // process (as in the tests) each keep their own database and their own services.
        services.AddSingleton<JobStorage>(sp => CreateStorage(
            sp.GetRequiredService<IConfiguration>().GetRegistryConnectionString(), sp.GetRequiredService<IOptions<JobOptions>>().Value));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton<JobServerName>();
        services.AddTransient<ImportJob>();
        services.AddTransient<InboxScanJob>();
        services.AddTransient<ImportSweepJob>();
        services.AddFollows(configuration);

        if (runServer)
        {
            services.AddHangfireServer((sp, server) =>
            {
                var options = sp.GetRequiredService<IOptions<JobOptions>>().Value;
                server.ServerName = sp.GetRequiredService<JobServerName>().Value;
                server.WorkerCount = options.Workers;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(5);
                // Imports check the token between rows: a node that stops gives its import back rather than
                // be killed in the middle, and another node (or this one, restarted) runs it again.
                server.ShutdownTimeout = TimeSpan.FromSeconds(20);
            });
            services.AddHostedService<RecurringJobsSetup>();
        }
        return services;
    }

    internal static PostgreSqlStorage CreateStorage(string connectionString, JobOptions options)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = SchemaName,
            PrepareSchemaIfNecessary = false,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromSeconds(options.InvisibilitySeconds),
            QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),
            EnableLongPolling = true,
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions, null), storageOptions);
    }

    /// <summary>The recurring jobs' schedule as a cron expression: minutes below an hour, whole hours above.</summary>
    internal static string EveryMinutes(int minutes) =>
        minutes < 60 ? $"*/{minutes} * * * *" : $"0 */{Math.Min(minutes / 60, 24)} * * *";
}

/// <summary>
/// The library's log goes to the host's; its log provider is process-wide, so one that outlives its
/// host (a test's) stays quiet instead of failing the servers of the hosts still running.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggers);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return new SilentLog();
        }
    }

    private sealed class SilentLog : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}

/// <summary>This process's name among the job servers; the library adds a unique suffix.</summary>
public sealed class JobServerName
{
    public string Value { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();

    public bool IsThis(string serverId) => serverId.StartsWith(Value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Writes the recurring jobs (same on every node; writing them again changes nothing) and sweeps once
/// at start, for imports left waiting while no node ran. A node started before <c>migrate</c> (or while the
/// database is away) does not stop over it: it says why, stays not ready, and writes them once it can.
/// </summary>
internal sealed partial class RecurringJobsSetup(
    IRecurringJobManager recurring, MigrationRunner migrations, IOptions<RegistryOptions> registry, IOptions<JobOptions> jobs,
    IOptions<SmtpOptions> smtp, IOptions<FollowOptions> follow, ILogger<RecurringJobsSetup> logger) : BackgroundService
{
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var told = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pending = await migrations.PendingAsync(stoppingToken);
                if (pending.Count == 0)
                {
                    Write();
                    return;
                }
                if (!told)
                    LogPendingMigrations(string.Join(", ", pending));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away (the driver's errors, or the job store's lock timing out): try again.
                if (!told)
                    LogDatabaseUnreachable(e.Message);
            }
            told = true;
            await Task.Delay(RetryInterval, stoppingToken);
        }
    }

    private void Write()
    {
        recurring.AddOrUpdate<ImportSweepJob>(ImportSweepJob.Id, job => job.RunAsync(CancellationToken.None),
            Extensions.EveryMinutes(jobs.Value.SweepMinutes));
        if (string.IsNullOrWhiteSpace(registry.Value.InboxPath))
        {
            recurring.RemoveIfExists(InboxScanJob.Id);
        }
        else
        {
            recurring.AddOrUpdate<InboxScanJob>(InboxScanJob.Id, job => job.RunAsync(CancellationToken.None),
                Extensions.EveryMinutes(registry.Value.InboxScanMinutes));
        }
        if (smtp.Value.IsConfigured)
        {
            recurring.AddOrUpdate<FollowUpkeepJob>(FollowUpkeepJob.Id, job => job.RunAsync(CancellationToken.None),
                Extensions.EveryMinutes(follow.Value.UpkeepMinutes));
        }
        else
        {
            recurring.RemoveIfExists(FollowUpkeepJob.Id);
        }
        recurring.Trigger(ImportSweepJob.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The database lacks the migrations {Pending}: run the migrate verb. The recurring jobs are written once they are applied; until then this node is not ready")]
    private partial void LogPendingMigrations(string pending);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The database cannot be reached ({Reason}); the recurring jobs are written once it can")]
    private partial void LogDatabaseUnreachable(string reason);
}
