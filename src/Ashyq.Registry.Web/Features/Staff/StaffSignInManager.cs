using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// Sign-in that refuses disabled accounts, and that costs the same whether or not the email names an
/// account and whether or not the account may sign in: a password is hashed in every case, so the time
/// of an answer tells no one which emails are staff accounts or which of them are paused.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    // Made once per process with the hasher's own settings, so checking it costs what a real check does.
    private static string? s_decoyHash;

    /// <summary>The account the email names (null when none) and the outcome of signing it in with the password.</summary>
    public async Task<(StaffUser? User, SignInResult Result)> PasswordSignInByEmailAsync(string email, string password)
    {
        var user = await UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            SpendAPasswordCheck(password);
            return (null, SignInResult.Failed);
        }
        return (user, await PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true));
    }

    public override async Task<bool> CanSignInAsync(StaffUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    /// <summary>A disabled or paused account is refused before its password is checked: the check is spent anyway.</summary>
    protected override async Task<SignInResult?> PreSignInCheck(StaffUser user)
    {
        var refused = await base.PreSignInCheck(user);
        if (refused is not null)
            SpendAPasswordCheck("");
        return refused;
    }

    private void SpendAPasswordCheck(string password)
    {
        var decoy = new StaffUser();
        var hash = s_decoyHash ??= UserManager.PasswordHasher.HashPassword(decoy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        _ = UserManager.PasswordHasher.VerifyHashedPassword(decoy, hash, password);
    }
}
