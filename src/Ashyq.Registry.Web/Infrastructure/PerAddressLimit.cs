using System.Globalization;
using System.Threading.RateLimiting;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// An allowance of so many requests per client address in a fixed window, counted on this node by
/// <see cref="ClientAddresses.Key"/>: what the forms anyone may send (sign-in, a reply, a follow) are
/// held to. Each form names its own subclass, so that each has its allowance and its settings.
/// </summary>
public abstract class PerAddressLimit : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly int _windowSeconds;

    protected PerAddressLimit(int permitLimit, int windowSeconds)
    {
        _windowSeconds = windowSeconds;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Key(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitLimit,
                Window = TimeSpan.FromSeconds(windowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>
    /// Takes one request of the client's allowance. When none is left, the answer gets its Retry-After
    /// and <paramref name="retryAfterSeconds"/> says when to come back.
    /// </summary>
    public bool TryTake(HttpContext context, out int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A fixed window's lease gives nothing back when it is let go, so it is let go at once.
        using var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            retryAfterSeconds = 0;
            return true;
        }
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : _windowSeconds;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return false;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            _limiter.Dispose();
    }
}
