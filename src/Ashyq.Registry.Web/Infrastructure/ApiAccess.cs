using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Limits on the JSON API per client address, from the "ApiRateLimit" configuration section.</summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "ApiRateLimit";

    /// <summary>Requests one client address may make in a window.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Who may call the JSON API under /api and how often: any web page may read it (CORS open for GET),
/// and each client (<see cref="ClientAddresses.Key"/>) gets a fixed number of requests per window, then 429 with Retry-After.
/// </summary>
public static class ApiAccess
{
    public const string CorsPolicy = "api";

    public static IServiceCollection AddRegistryApiAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiRateLimitOptions>()
            .Bind(configuration.GetSection(ApiRateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.AllowAnyOrigin().WithMethods(HttpMethods.Get).AllowAnyHeader()));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiRateLimitOptions>>((limiter, settings) =>
        {
            var limit = settings.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ErrorHandling.IsApiPath(context.Request.Path)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Key(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitLimit,
                        Window = TimeSpan.FromSeconds(limit.WindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected, limit.WindowSeconds, cancellationToken);
        });
        return services;
    }

    public static IApplicationBuilder UseRegistryApiAccess(this IApplicationBuilder app)
    {
        app.UseWhen(context => ErrorHandling.IsApiPath(context.Request.Path), api => api.UseCors(CorsPolicy));
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, int windowSeconds, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : windowSeconds;
        var response = rejected.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"The limit of requests for this client is reached; try again in {seconds} s.",
        };
        await response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken);
    }
}
