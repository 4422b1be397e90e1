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

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>Goes first, so that error pages and responses served from the cache carry the headers too.</summary>
    public static IApplicationBuilder UseRegistrySecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set when the response starts: the exception handler clears the headers of a failed response.
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
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
