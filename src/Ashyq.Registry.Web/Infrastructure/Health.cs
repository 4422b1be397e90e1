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

    /// <summary>
    /// Each check's status and our own short description; the reason behind a failure (an exception's
    /// message, which can name the database's address) goes to the log only, never to the public answer.
    /// </summary>
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Exception is null ? e.Value.Description : "failed",
            }),
        });
    }
}

/// <summary>Ready means: the database answers and every migration is applied.</summary>
public sealed class DatabaseHealthCheck(MigrationRunner migrations, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
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
            logger.LogWarning(e, "Not ready: the database cannot be reached");
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}

/// <summary>Ready also means this node's job server is running and checking in, so uploads will be loaded.</summary>
public sealed class SchedulerHealthCheck(
    Hangfire.JobStorage storage, Ashyq.Registry.Core.Jobs.JobServerName name, ILogger<SchedulerHealthCheck> logger) : IHealthCheck
{
    /// <summary>A server checks in every 30 s; one silent for longer than this is not taken for running.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var server = storage.GetMonitoringApi().Servers().FirstOrDefault(s => name.IsThis(s.Name));
            if (server is null)
                return Task.FromResult(HealthCheckResult.Unhealthy("this node's job server has not joined"));
            return Task.FromResult(server.Heartbeat is { } last && DateTime.UtcNow - last < Silence
                ? HealthCheckResult.Healthy("running")
                : HealthCheckResult.Unhealthy($"this node's job server last checked in at {server.Heartbeat:O}"));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "Not ready: the job store cannot be read");
            return Task.FromResult(HealthCheckResult.Unhealthy("the job store cannot be read"));
        }
    }
}
