using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Settings of Strict-Transport-Security, from the "Hsts" configuration section.</summary>
public sealed class HstsOptions
{
    public const string Section = "Hsts";

    /// <summary>How long browsers are told to use HTTPS only; 0 tells them to forget it.</summary>
    [Range(0, 3650)]
    public int MaxAgeDays { get; set; } = 365;

    /// <summary>Whether every subdomain of the site's host is covered too (only when all of them serve HTTPS).</summary>
    public bool IncludeSubDomains { get; set; }
}

/// <summary>
/// The headers every response carries. The policy allows nothing from other origins: every script,
/// style, font and image is served by the site itself. Pages may not be framed, but the badge stays
/// embeddable, since an &lt;img&gt; on another site is governed by neither frame-ancestors nor X-Frame-Options.
/// A response to a secure request (HTTPS to the node, or through a trusted proxy that says so) also
/// tells the browser to use HTTPS only; a plain-HTTP local run is never told that.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The job dashboard's pages (staff only) differ in one thing: its chart library adds one fixed
    /// stylesheet of its own to the page, allowed by its hash alone. Its rules are in the dashboard's
    /// stylesheet already; the hash changes only with the library, and the browser test then fails.
    /// </summary>
    public const string JobsDashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-z7zcnw/4WalZqx+PrNaRnoeLz/G9WXuFqV1WCJ129sg='; " +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    public static IServiceCollection AddRegistrySecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HstsOptions>()
            .Bind(configuration.GetSection(HstsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static string StrictTransportSecurity(HstsOptions options) =>
        "max-age=" + ((long)options.MaxAgeDays * 86_400).ToString(CultureInfo.InvariantCulture)
        + (options.IncludeSubDomains ? "; includeSubDomains" : "");

    /// <summary>Goes first after the forwarded headers, so that error pages and responses served from the cache carry the headers too.</summary>
    public static IApplicationBuilder UseRegistrySecurityHeaders(this IApplicationBuilder app)
    {
        var strictTransport = StrictTransportSecurity(app.ApplicationServices.GetRequiredService<IOptions<HstsOptions>>().Value);
        return app.Use((context, next) =>
        {
            // Set when the response starts: the exception handler clears the headers of a failed response.
            // Whether the request is secure is decided now, on the scheme the forwarded headers settled on.
            if (context.Request.IsHttps)
            {
                context.Response.OnStarting(() =>
                {
                    SetHeaders(context.Response);
                    context.Response.Headers.StrictTransportSecurity = strictTransport;
                    return Task.CompletedTask;
                });
            }
            else
            {
                context.Response.OnStarting(static state =>
                {
                    SetHeaders((HttpResponse)state);
                    return Task.CompletedTask;
                }, context.Response);
            }
            return next(context);
        });
    }

    private static void SetHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Features.Staff.Jobs.JobsDashboard.IsDashboard(response.HttpContext.Request)
            ? JobsDashboardContentSecurityPolicy
            : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
