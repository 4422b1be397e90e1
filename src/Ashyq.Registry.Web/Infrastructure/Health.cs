using Ashyq.Registry.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ashyq.Registry.Web.Infrastructure;

public static class Health
{
    public static IServiceCollection AddRegistryHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapRegistryHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new()
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteReport,
        });
        return endpoints;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}

/// <summary>Ready means: the database answers and every migration is applied.</summary>
public sealed class DatabaseHealthCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await migrations.PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("reachable, migrations applied")
                : HealthCheckResult.Unhealthy($"pending migrations: {string.Join(", ", pending)}");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + e.Message);
        }
    }
}

/// <summary>Ready also means this node's job scheduler is running, so uploads will be loaded.</summary>
public sealed class SchedulerHealthCheck(Quartz.ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var status = scheduler.Status;
            return status == Quartz.SchedulerStatus.Running
                ? HealthCheckResult.Healthy("running")
                : HealthCheckResult.Unhealthy($"the scheduler is {status}");
        }
        catch (Quartz.SchedulerException e)
        {
            return HealthCheckResult.Unhealthy("the scheduler failed: " + e.Message);
        }
    }
}
