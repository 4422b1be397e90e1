using System.Globalization;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// Counts an account's wrong passwords over a period (Staff:LockoutMinutes) rather than for ever: a
/// failure older than that no longer brings the pause closer, so an address kept within its own limit
/// never adds up to a lockout however long it tries. The period's start is kept with the account's tokens.
/// </summary>
public sealed class StaffUserManager(
    IUserStore<StaffUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<StaffUser> passwordHasher,
    IEnumerable<IUserValidator<StaffUser>> userValidators,
    IEnumerable<IPasswordValidator<StaffUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<StaffUser>> logger,
    IOptions<StaffSignInOptions> signInOptions,
    TimeProvider clock)
    : UserManager<StaffUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    private const string TokenProvider = "ashyq";
    private const string FailuresSinceToken = "sign-in-failures-since";

    public override async Task<IdentityResult> AccessFailedAsync(StaffUser user)
    {
        var now = clock.GetUtcNow();
        var period = TimeSpan.FromMinutes(signInOptions.Value.LockoutMinutes);
        var since = await GetAuthenticationTokenAsync(user, TokenProvider, FailuresSinceToken);
        var counting = DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var start)
            && now - start < period;
        if (!counting)
        {
            // Saved together with the new period's start, in one update.
            user.AccessFailedCount = 0;
            var started = await SetAuthenticationTokenAsync(user, TokenProvider, FailuresSinceToken, now.ToString("O", CultureInfo.InvariantCulture));
            if (!started.Succeeded)
                return started;
        }
        return await base.AccessFailedAsync(user);
    }
}
