using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// The limit on sign-in attempts per client address (Staff:SignInPermitLimit per
/// Staff:SignInWindowSeconds), counted on this node. The address is the connection's, which is the
/// visitor's own behind a trusted proxy (ForwardedHeaders). An IPv6 client is counted by its /64
/// network, the block one subscriber is usually given, so that it cannot start afresh with each address.
/// </summary>
public sealed class SignInAttempts : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public SignInAttempts(IOptions<StaffSignInOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.SignInPermitLimit,
                Window = TimeSpan.FromSeconds(settings.SignInWindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one attempt of the client's allowance; a lease not acquired says when to come back.</summary>
    public RateLimitLease Attempt(HttpContext context) => _limiter.AttemptAcquire(context);

    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose() => _limiter.Dispose();
}
