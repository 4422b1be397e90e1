using System.Threading.RateLimiting;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// The limit on sign-in attempts per client address (Staff:SignInPermitLimit per
/// Staff:SignInWindowSeconds), counted on this node by <see cref="ClientAddresses.Key"/>.
/// </summary>
public sealed class SignInAttempts : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public SignInAttempts(IOptions<StaffSignInOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Key(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.SignInPermitLimit,
                Window = TimeSpan.FromSeconds(settings.SignInWindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one attempt of the client's allowance; a lease not acquired says when to come back.</summary>
    public RateLimitLease Attempt(HttpContext context) => _limiter.AttemptAcquire(context);

    public void Dispose() => _limiter.Dispose();
}
