using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Staff.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Account;

/// <summary>Signing in and out, and changing one's own password.</summary>
public sealed class AccountController(
    UserManager<StaffUser> users, StaffSignInManager signIn, SignInAttempts attempts, NpgsqlDataSource dataSource,
    ILogger<AccountController> logger) : StaffController
{
    [AllowAnonymous]
    [HttpGet("/staff/login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    /// <summary>
    /// One answer for every refusal, whether the email is unknown, the password wrong, the account
    /// disabled or paused, and in about the same time: nothing here tells which emails are accounts.
    /// Each client address has a limited number of attempts, reached long before any account is paused.
    /// </summary>
    [AllowAnonymous]
    [HttpPost("/staff/login")]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!attempts.TryTake(HttpContext, out var seconds))
        {
            logger.LogWarning("Sign-in attempts from {ClientIp} are over the limit; refused for {Seconds} s", ClientIp, seconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View(form with { Password = "", Problem = LoginProblem.TooManyFromAddress, RetryMinutes = (seconds + 59) / 60 });
        }
        if (!ModelState.IsValid)
            return View(form with { Password = "", Problem = LoginProblem.Missing });

        var email = form.Email!.Trim();
        var (user, result) = await signIn.PasswordSignInByEmailAsync(email, form.Password!);

        var action = result switch
        {
            { Succeeded: true } => "staff.sign-in",
            { IsLockedOut: true } => "staff.sign-in-locked-out",
            { IsNotAllowed: true } => "staff.sign-in-refused-disabled",
            _ => "staff.sign-in-failed",
        };
        await using (var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted))
            await AuditLog.WriteAsync(connection, null, user?.Email ?? email, action, user is null ? "unknown account" : $"account {user.Email}", ip: ClientIp);

        if (!result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(form with { Password = "", Problem = LoginProblem.Wrong });
        }
        return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) && form.ReturnUrl!.StartsWith("/staff", StringComparison.Ordinal) ? form.ReturnUrl : "/staff");
    }

    /// <summary>
    /// Gives the account a new security stamp before the cookie is deleted, so that a copy of the
    /// cookie kept elsewhere is refused from now on (and so are the account's other sessions).
    /// </summary>
    [HttpPost("/staff/logout")]
    public async Task<IActionResult> Logout()
    {
        await AuditAsync(dataSource, "staff.sign-out", $"account {Actor}");
        if (await users.GetUserAsync(User) is { } user)
            await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return Redirect("/staff/login");
    }

    [Authorize]
    [HttpGet("/staff/denied")]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("/staff/account/password")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    [HttpPost("/staff/account/password")]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        if (!ModelState.IsValid || form.NewPassword != form.ConfirmPassword)
            return PasswordProblem(form, "staff.password.mismatch");

        var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
        if (!result.Succeeded)
            return PasswordProblem(form, ProblemKey(result));

        // The password's new stamp has ended every other session of the account; this one gets a cookie with it.
        await signIn.RefreshSignInAsync(user);
        await AuditAsync(dataSource, "account.password-change", $"account {user.Email}");
        return View(new ChangePasswordForm { Done = true });
    }

    private static string ProblemKey(IdentityResult result) => result.Errors.Select(e => e.Code).FirstOrDefault() switch
    {
        "PasswordMismatch" => "staff.password.current-wrong",
        StaffPasswordRules.TooShort => "staff.password.too-short",
        StaffPasswordRules.TooLong => "staff.password.too-long",
        StaffPasswordRules.Common => "staff.password.common",
        StaffPasswordRules.Personal => "staff.password.personal",
        _ => "staff.password.rules",
    };

    private ViewResult PasswordProblem(ChangePasswordForm form, string problemKey)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(nameof(ChangePassword), new ChangePasswordForm { ProblemKey = problemKey });
    }
}

public enum LoginProblem
{
    None,
    Missing,
    Wrong,
    TooManyFromAddress,
}

public sealed record LoginForm
{
    [Required, EmailAddress]
    public string? Email { get; init; }

    [Required]
    public string? Password { get; init; }

    public string? ReturnUrl { get; init; }

    public LoginProblem Problem { get; init; }

    public int RetryMinutes { get; init; }
}

public sealed record ChangePasswordForm
{
    [Required]
    public string? CurrentPassword { get; init; }

    [Required]
    public string? NewPassword { get; init; }

    [Required]
    public string? ConfirmPassword { get; init; }

    public string? ProblemKey { get; init; }

    public bool Done { get; init; }
}
