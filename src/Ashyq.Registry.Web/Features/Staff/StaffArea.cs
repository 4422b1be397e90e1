using System.Security.Claims;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// The staff area's accounts, sign-in cookie and anti-forgery settings. Every node of the site shares
/// its data-protection keys through the database, so a cookie or form token issued by one is valid on all.
/// </summary>
public static class StaffArea
{
    public const string CookieName = "ashyq_staff";
    public const string AntiforgeryCookieName = "ashyq_staff_af";
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static IServiceCollection AddStaffArea(this IServiceCollection services)
    {
        services.AddIdentity<StaffUser, IdentityRole>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 5;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<RegistryDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = "/staff";
            options.Cookie.HttpOnly = true;
            // Secure whenever the request is HTTPS (in production, directly or through a proxy whose
            // forwarded headers are trusted); ./run.sh serves plain HTTP on loopback, where a secure-only
            // cookie could not be set and staff could not sign in at all.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.LoginPath = "/staff/login";
            options.LogoutPath = "/staff/logout";
            options.AccessDeniedPath = "/staff/denied";
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });
        // A disabled account or a reset password ends sessions within a minute, not at cookie expiry.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.StaffPolicy, policy => policy.RequireRole(StaffRoles.Staff, StaffRoles.Admin))
            .AddPolicy(StaffRoles.AdminPolicy, policy => policy.RequireRole(StaffRoles.Admin));
        services.AddSingleton<Imports.InRequestFileReads>();
        return services;
    }

    /// <summary>Authentication and authorization; call between routing and the endpoints.</summary>
    public static IApplicationBuilder UseStaffArea(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The name the audit log records for the signed-in staff member.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown";

    public static string? ClientIp(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    public static Task SignOutStaffAsync(this HttpContext context) => context.SignOutAsync(IdentityConstants.ApplicationScheme);
}

public static class StaffRoles
{
    public const string Staff = "Staff";
    public const string Admin = "Admin";
    public const string StaffPolicy = "staff";
    public const string AdminPolicy = "admin";

    public static readonly string[] All = [Staff, Admin];
}
