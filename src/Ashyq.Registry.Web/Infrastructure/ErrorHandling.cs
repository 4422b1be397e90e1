using System.ComponentModel.DataAnnotations;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Settings of the error pages, from the "Errors" configuration section.</summary>
public sealed class ErrorOptions
{
    public const string Section = "Errors";

    /// <summary>How long a client is asked to wait (Retry-After) while the database cannot be reached.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;
}

/// <summary>
/// Failures end on a friendly page (or problem+json under /api) with no stack trace; a request that
/// failed because PostgreSQL cannot be reached answers 503 with Retry-After instead of 500.
/// </summary>
public static class ErrorHandling
{
    public const string ErrorPath = "/error";

    public static IServiceCollection AddRegistryErrors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ErrorOptions>()
            .Bind(configuration.GetSection(ErrorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseOutageHandler>();
        return services;
    }

    public static IApplicationBuilder UseRegistryErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = ErrorPath + "/500",
            StatusCodeSelector = e => IsDatabaseUnreachable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute(ErrorPath + "/{0}");
        app.UseMiddleware<UnusableInputMiddleware>();
        return app;
    }

    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the failure says the database could not be reached or went away (a refused or broken
    /// socket, a timeout, a server shutting down), as opposed to a fault of the query itself.
    /// </summary>
    public static bool IsDatabaseUnreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case NpgsqlException { InnerException: SocketException or TimeoutException or IOException }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsDatabaseUnreachable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Drops the idle pooled connections when the database has gone away: they are dead sockets, and
    /// handing them out after the server returns would fail requests that a fresh connection serves.
    /// Returns false so that the error page is still rendered.
    /// </summary>
    private sealed class DatabaseOutageHandler(NpgsqlDataSource dataSource, ILogger<DatabaseOutageHandler> logger) : IExceptionHandler
    {
        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (IsDatabaseUnreachable(exception))
            {
                logger.LogWarning("The database cannot be reached ({Reason}); answering 503 to {Path}",
                    exception.GetBaseException().Message, httpContext.Request.Path.Value);
                dataSource.Clear();
            }
            return ValueTask.FromResult(false);
        }
    }
}
