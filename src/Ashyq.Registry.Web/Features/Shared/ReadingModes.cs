using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>
/// The version for the visually impaired: larger text, black on white, thick outlines, no colour or image
/// that carries meaning alone. Chosen with ?view=large (and back with ?view=standard) from a plain link, so it
/// works without JavaScript, and kept in a cookie like the language. Every page is rendered in one mode or the
/// other, so the output cache keeps the two apart (<see cref="Infrastructure.PublicOutputCache"/>).
/// </summary>
public static class ReadingModes
{
    public const string Standard = "standard";
    public const string Large = "large";
    public const string QueryKey = "view";
    public const string CookieName = "view";

    private static readonly object ItemKey = new();

    /// <summary>The mode of this request: ?view= when it names one, else the cookie, else standard.</summary>
    public static string Of(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is string mode)
            return mode;
        var chosen = Parse(context.Request.Query[QueryKey].ToString()) ?? Parse(context.Request.Cookies[CookieName]) ?? Standard;
        context.Items[ItemKey] = chosen;
        return chosen;
    }

    public static bool IsLarge(HttpContext context) => Of(context) == Large;

    /// <summary>The current page in the other mode: the same path and query, with view= set.</summary>
    public static string Switch(HttpRequest request, string mode) => LanguageLinks.WithQueryValue(request, QueryKey, mode);

    /// <summary>
    /// Settles the request's mode before anything runs (an error page re-executed under another address
    /// keeps it) and remembers a mode chosen through ?view= so that the next pages keep it.
    /// </summary>
    public static IApplicationBuilder UseRegistryReadingModes(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var mode = Of(context);
            if (Parse(context.Request.Query[QueryKey].ToString()) is not null)
            {
                context.Response.Cookies.Append(CookieName, mode, new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    IsEssential = true,
                });
            }
            await next(context);
        });

    private static string? Parse(string? value) => value is Standard or Large ? value : null;
}
