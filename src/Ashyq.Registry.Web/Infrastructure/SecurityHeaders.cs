namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// The headers every response carries. The policy allows nothing from other origins: every script,
/// style, font and image is served by the site itself. Pages may not be framed, but the badge stays
/// embeddable, since an &lt;img&gt; on another site is governed by neither frame-ancestors nor X-Frame-Options.
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

    /// <summary>Goes first, so that error pages and responses served from the cache carry the headers too.</summary>
    public static IApplicationBuilder UseRegistrySecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set when the response starts: the exception handler clears the headers of a failed response.
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                var headers = response.Headers;
                headers.ContentSecurityPolicy = Features.Staff.Jobs.JobsDashboard.IsDashboard(response.HttpContext.Request)
                    ? JobsDashboardContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
}
