using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// A staff cookie is honoured only while its account is enabled and still has the security stamp the
/// cookie was issued with. Signing out, a new password, a disabled account or a changed role give the
/// account a new stamp, so every cookie issued before is refused on its very next request, on every
/// node: the check reads the account's row by its key on each staff request (the cookie's path keeps
/// browsers from sending it to public pages, which never pay for it).
/// </summary>
public static class StaffSessions
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var claims = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);

        // A cookie sent by hand to a public page earns nothing there and costs the database nothing.
        if (!http.Request.Path.StartsWithSegments("/staff"))
        {
            context.RejectPrincipal();
            return;
        }
        if (userId is not null && stamp is not null && await IsCurrentAsync(http, userId, stamp))
            return;

        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    private static async Task<bool> IsCurrentAsync(HttpContext http, string userId, string stamp)
    {
        var dataSource = http.RequestServices.GetRequiredService<NpgsqlDataSource>();
        await using var command = dataSource.CreateCommand("""
            SELECT "SecurityStamp" FROM staff_users WHERE "Id" = $1 AND NOT "IsDisabled"
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var current = await command.ExecuteScalarAsync(http.RequestAborted) as string;
        return current is not null && string.Equals(current, stamp, StringComparison.Ordinal);
    }
}
