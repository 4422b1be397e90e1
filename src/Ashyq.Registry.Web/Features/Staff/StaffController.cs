using Ashyq.Registry.Core.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// What every staff page shares: the area (its views live under Features/Staff/), the Staff or Admin
/// role, and anti-forgery validation of every unsafe request.
/// </summary>
[Area("Staff")]
[Authorize(Policy = StaffRoles.StaffPolicy)]
[AutoValidateAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public abstract class StaffController : Controller
{
    protected string Actor => User.Actor();

    protected string? ClientIp => HttpContext.ClientIp();

    protected async Task AuditAsync(NpgsqlDataSource dataSource, string action, string? subject, string? details = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted);
        await AuditLog.WriteAsync(connection, null, Actor, action, subject, details, ClientIp, HttpContext.RequestAborted);
    }
}
