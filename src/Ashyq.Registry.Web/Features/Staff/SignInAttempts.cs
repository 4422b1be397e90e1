using Ashyq.Registry.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>The limit on sign-in attempts per client address (Staff:SignInPermitLimit per Staff:SignInWindowSeconds).</summary>
public sealed class SignInAttempts(IOptions<StaffSignInOptions> options)
    : PerAddressLimit(options.Value.SignInPermitLimit, options.Value.SignInWindowSeconds);
