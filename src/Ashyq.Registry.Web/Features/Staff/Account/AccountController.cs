using System.ComponentModel.DataAnnotations;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Account;

/// <summary>Signing in and out, and changing one's own password.</summary>
public sealed class AccountController(
    UserManager<StaffUser> users, SignInManager<StaffUser> signIn, NpgsqlDataSource dataSource) : StaffController
{
    [AllowAnonymous]
    [HttpGet("/staff/login")]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("/staff/login")]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid)
            return View(form with { Password = "", Problem = LoginProblem.Missing });

        var email = form.Email!.Trim();
        var user = await users.FindByEmailAsync(email);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.PasswordSignInAsync(user, form.Password!, isPersistent: false, lockoutOnFailure: true);

        var (action, problem) = result switch
        {
            { Succeeded: true } => ("staff.sign-in", LoginProblem.None),
            { IsLockedOut: true } => ("staff.sign-in-locked-out", LoginProblem.LockedOut),
            { IsNotAllowed: true } => ("staff.sign-in-refused-disabled", LoginProblem.Wrong),
            _ => ("staff.sign-in-failed", LoginProblem.Wrong),
        };
        await using (var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted))
            await AuditLog.WriteAsync(connection, null, user?.Email ?? email, action, user is null ? "unknown account" : $"account {user.Email}", ip: ClientIp);

        if (problem != LoginProblem.None)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(form with { Password = "", Problem = problem });
        }
        return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) && form.ReturnUrl!.StartsWith("/staff", StringComparison.Ordinal) ? form.ReturnUrl : "/staff");
    }

    [HttpPost("/staff/logout")]
    public async Task<IActionResult> Logout()
    {
        await AuditAsync(dataSource, "staff.sign-out", $"account {Actor}");
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
            return PasswordProblem(form, result.Errors.Any(e => e.Code == "PasswordMismatch") ? "staff.password.current-wrong" : "staff.password.rules");

        await signIn.RefreshSignInAsync(user);
        await AuditAsync(dataSource, "account.password-change", $"account {user.Email}");
        return View(new ChangePasswordForm { Done = true });
    }

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
    LockedOut,
}

public sealed record LoginForm
{
    [Required, EmailAddress]
    public string? Email { get; init; }

    [Required]
    public string? Password { get; init; }

    public string? ReturnUrl { get; init; }

    public LoginProblem Problem { get; init; }
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
