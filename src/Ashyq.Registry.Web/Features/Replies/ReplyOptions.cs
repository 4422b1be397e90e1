using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Replies;

/// <summary>Limits of a business's right to reply, from the "Replies" configuration section.</summary>
public sealed class ReplyOptions
{
    public const string Section = "Replies";

    /// <summary>Replies one client address may send in a window, per node; then the form answers 429.</summary>
    [Range(1, 10_000)]
    public int PermitLimit { get; set; } = 5;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 3600;

    /// <summary>The longest statement, in characters.</summary>
    [Range(1, 10_000)]
    public int MaxStatementCharacters { get; set; } = 1000;

    /// <summary>The longest name, role or email, in characters.</summary>
    [Range(20, 1000)]
    public int MaxFieldCharacters { get; set; } = 200;

    /// <summary>How long after a reply's decision its contact email is kept for staff before it is cleared.</summary>
    [Range(1, 3650)]
    public int ContactRetentionDays { get; set; } = 365;
}

/// <summary>
/// The limit on replies per client address (Replies:PermitLimit per Replies:WindowSeconds), counted on
/// this node by <see cref="ClientAddresses.Key"/>, as sign-in attempts are.
/// </summary>
public sealed class ReplyAttempts : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public ReplyAttempts(IOptions<ReplyOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Key(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one reply of the client's allowance; a lease not acquired says when to come back.</summary>
    public RateLimitLease Attempt(HttpContext context) => _limiter.AttemptAcquire(context);

    public void Dispose() => _limiter.Dispose();
}

public static class ReplyServices
{
    public static IServiceCollection AddBusinessReplies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReplyOptions>()
            .Bind(configuration.GetSection(ReplyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReplyAttempts>();
        return services;
    }
}
