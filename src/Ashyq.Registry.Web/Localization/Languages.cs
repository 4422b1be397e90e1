using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace Ashyq.Registry.Web.Localization;

/// <summary>
/// The site's three languages. The choice comes from ?lang= (and is then kept in a cookie), else the
/// cookie, else the browser's Accept-Language, else Russian.
/// </summary>
public static class Languages
{
    public const string Russian = "ru";
    public const string Kazakh = "kk";
    public const string English = "en";
    public const string QueryKey = "lang";
    public const string CookieName = "lang";

    public static readonly string[] All = [Russian, Kazakh, English];

    /// <summary>The language of the current request, from the culture the localization middleware chose.</summary>
    public static string Current
    {
        get
        {
            var name = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            return All.Contains(name) ? name : Russian;
        }
    }

    /// <summary>A language's own name for itself, for the switch.</summary>
    public static string NativeName(string language) => language switch
    {
        Kazakh => "Қазақша",
        English => "English",
        _ => "Русский",
    };

    /// <summary>Cultures with the dates and numbers people of each language write.</summary>
    public static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language switch
    {
        Kazakh => "kk-KZ",
        English => "en-GB",
        _ => "ru-RU",
    });

    public static IServiceCollection AddRegistryLanguages(this IServiceCollection services)
    {
        services.AddSingleton<Texts>();
        services.AddSingleton<Features.Shared.SiteTime>();
        // Pages carry Cyrillic and Kazakh letters as they are, not as numeric references six times their size;
        // the characters that matter to HTML are still escaped.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = All.Select(Culture).ToList();
            options.DefaultRequestCulture = new RequestCulture(Culture(Russian));
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new LanguageQueryProvider(),
                new LanguageCookieProvider(),
                new AcceptLanguageProvider(),
            ];
        });
        return services;
    }

    /// <summary>Remembers a language chosen through ?lang= so that the next pages keep it.</summary>
    public static IApplicationBuilder UseRegistryLanguages(this IApplicationBuilder app)
    {
        app.UseRequestLocalization();
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.TryGetValue(QueryKey, out var value) && All.Contains(value.ToString()) && !IsReadByPrograms(context.Request.Path))
            {
                context.Response.Cookies.Append(CookieName, value.ToString(), new CookieOptions
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
        return app;
    }

    /// <summary>
    /// A feed or a badge is fetched by a feed reader or from another site's page, which names its language
    /// each time and keeps no cookie; one set would also keep the answer from being cached or revalidated.
    /// </summary>
    private static bool IsReadByPrograms(PathString path) =>
        path.Value is { } value && (value.EndsWith(".atom", StringComparison.OrdinalIgnoreCase) || value.EndsWith("/badge.svg", StringComparison.OrdinalIgnoreCase));

    private sealed class LanguageQueryProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var value = httpContext.Request.Query[QueryKey].ToString();
            return Task.FromResult(All.Contains(value) ? new ProviderCultureResult(Culture(value).Name) : null);
        }
    }

    /// <summary>
    /// The browser's preferred languages in order of quality; "en", "en-US" or "kk" pick our English or
    /// Kazakh even though the site's cultures are the more specific en-GB and kk-KZ.
    /// </summary>
    private sealed class AcceptLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var preferred = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .Where(l => l.Quality is not 0)
                .OrderByDescending(l => l.Quality ?? 1);
            foreach (var value in preferred)
            {
                var tag = value.Value.Value ?? "";
                var language = tag.Split('-')[0].ToLowerInvariant();
                if (All.Contains(language))
                    return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(Culture(language).Name));
            }
            return Task.FromResult<ProviderCultureResult?>(null);
        }
    }

    private sealed class LanguageCookieProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var value = httpContext.Request.Cookies[CookieName];
            return Task.FromResult(value is not null && All.Contains(value) ? new ProviderCultureResult(Culture(value).Name) : null);
        }
    }
}
