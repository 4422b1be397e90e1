using System.Security.Claims;
using Ashyq.Registry.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// The staff area's accounts, sign-in cookie and anti-forgery settings. Every node of the site shares
/// its data-protection keys through the database, so a cookie or form token issued by one is valid on all.
/// </summary>
public static class StaffArea
{
    public const string CookieName = "ashyq_staff";
    public const string AntiforgeryCookieName = "ashyq_staff_af";

    public static IServiceCollection AddStaffArea(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaffSignInOptions>()
            .Bind(configuration.GetSection(StaffSignInOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Weeks.PublishingOptions>()
            .Bind(configuration.GetSection(Weeks.PublishingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<Weeks.PublishChecks>();

        services.AddIdentity<StaffUser, IdentityRole>(options =>
            {
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<RegistryDbContext>()
            .AddUserManager<StaffUserManager>()
            .AddSignInManager<StaffSignInManager>()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<StaffSignInOptions>>((identity, settings) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = settings.Value.LockoutFailures;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(settings.Value.LockoutMinutes);
        });
        // The framework's rules ask for digits and capitals; ours ask for length (StaffPasswordRules).
        services.RemoveAll<IPasswordValidator<StaffUser>>();
        services.AddScoped<IPasswordValidator<StaffUser>, Accounts.StaffPasswordRules>();
        services.AddSingleton<SignInAttempts>();

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
            // A session ends a fixed time after sign-in, however busy: use does not extend it.
            options.SlidingExpiration = false;
            // In place of the framework's check once in a while: every staff request, against the database.
            options.Events.OnValidatePrincipal = StaffSessions.ValidateAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<StaffSignInOptions>>((cookie, settings) => cookie.ExpireTimeSpan = TimeSpan.FromHours(settings.Value.SessionHours));

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
