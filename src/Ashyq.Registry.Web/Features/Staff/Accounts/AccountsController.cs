using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Accounts;

/// <summary>
/// Staff accounts: create, disable or enable, reset the password, choose the role. A new or reset
/// password is made here and shown once; no one chooses a weak one. An administrator cannot disable
/// or demote their own account, so the area never loses its last administrator by accident.
/// </summary>
[Authorize(Policy = StaffRoles.AdminPolicy)]
[Route("staff/accounts")]
public sealed class AccountsController(
    UserManager<StaffUser> users, RegistryDbContext db, NpgsqlDataSource dataSource, TimeProvider clock) : StaffController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? done, string? problem)
    {
        var accounts = await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new AccountRow(u.Id, u.Email ?? u.UserName ?? u.Id, u.IsDisabled, u.LockoutEnd, u.CreatedAt,
                db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == "role-admin")))
            .ToListAsync(HttpContext.RequestAborted);
        if (problem is not null)
            Response.StatusCode = StatusCodes.Status400BadRequest;
        return View(new AccountsPage(accounts, users.GetUserId(User), done, problem));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(string? email, string? role)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal) || role is not (StaffRoles.Staff or StaffRoles.Admin))
            return Redirect("/staff/accounts?problem=invalid");
        if (await users.FindByEmailAsync(email) is not null)
            return Redirect("/staff/accounts?problem=exists");
        var password = StaffAccounts.GeneratePassword();
        var result = await StaffAccounts.CreateAsync(users, email, password, role == StaffRoles.Admin, clock);
        if (!result.Succeeded)
            return Redirect("/staff/accounts?problem=invalid");
        await AuditAsync(dataSource, "account.create", $"account {email}", $"role {role}");
        return View("Password", new NewPassword(email, password, Created: true));
    }

    [HttpPost("{id}/disable")]
    public Task<IActionResult> Disable(string id) => SetDisabled(id, true);

    [HttpPost("{id}/enable")]
    public Task<IActionResult> Enable(string id) => SetDisabled(id, false);

    [HttpPost("{id}/reset-password")]
    public async Task<IActionResult> ResetPassword(string id)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return NotFound();
        var password = StaffAccounts.GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
            return Redirect("/staff/accounts?problem=invalid");
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync(dataSource, "account.reset-password", $"account {user.Email}");
        return View("Password", new NewPassword(user.Email!, password, Created: false));
    }

    [HttpPost("{id}/role")]
    public async Task<IActionResult> Role(string id, string? role)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return NotFound();
        if (role is not (StaffRoles.Staff or StaffRoles.Admin))
            return Redirect("/staff/accounts?problem=invalid");
        if (user.Id == users.GetUserId(User) && role != StaffRoles.Admin)
            return Redirect("/staff/accounts?problem=self");
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(dataSource, "account.role", $"account {user.Email}", $"{string.Join(", ", current)} → {role}");
        return Redirect("/staff/accounts?done=role");
    }

    private async Task<IActionResult> SetDisabled(string id, bool disabled)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return NotFound();
        if (user.Id == users.GetUserId(User))
            return Redirect("/staff/accounts?problem=self");
        user.IsDisabled = disabled;
        await users.UpdateAsync(user);
        // A new stamp ends the account's open sessions at their next check.
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(dataSource, disabled ? "account.disable" : "account.enable", $"account {user.Email}");
        return Redirect($"/staff/accounts?done={(disabled ? "disabled" : "enabled")}");
    }
}

public sealed record AccountRow(string Id, string Email, bool IsDisabled, DateTimeOffset? LockoutEnd, DateTimeOffset CreatedAt, bool IsAdmin);

public sealed record AccountsPage(IReadOnlyList<AccountRow> Accounts, string? CurrentUserId, string? Done, string? Problem);

public sealed record NewPassword(string Email, string Password, bool Created);
