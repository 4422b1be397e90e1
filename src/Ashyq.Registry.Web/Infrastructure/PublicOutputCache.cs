using System.ComponentModel.DataAnnotations;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Settings of the public pages' cache, from the "OutputCache" configuration section.</summary>
public sealed class PublicCacheOptions
{
    public const string Section = "OutputCache";

    /// <summary>How long a page is kept; publishing or withdrawing a week evicts every page sooner.</summary>
    [Range(1, 1440)]
    public int ExpirationMinutes { get; set; } = 10;

    /// <summary>
    /// How much of the node's memory cached responses may take, in MiB. A search or business page is
    /// some 20–30 KB: the framework's default of 100 MiB held only a few thousand of them, and a stream
    /// of different businesses or searches spent its time evicting and rendering them again.
    /// </summary>
    [Range(16, 16384)]
    public int SizeLimitMegabytes { get; set; } = 512;

    /// <summary>The longest wait between attempts to listen again after the database connection drops.</summary>
    [Range(1, 300)]
    public int ListenerMaxRetrySeconds { get; set; } = 10;
}

/// <summary>
/// Output caching for public pages and downloads. Controllers opt in with
/// <c>[OutputCache(PolicyName = PublicOutputCache.PolicyName)]</c>. A cached page varies by the
/// language the request resolved to, by the reading mode (<see cref="ReadingModes"/>) and by its query string, is never kept for a signed-in user or
/// when the response sets a cookie, and is evicted on every node when a week is published or withdrawn.
/// </summary>
public static class PublicOutputCache
{
    public const string PolicyName = "public";
    public const string Tag = "public";

    public static IServiceCollection AddRegistryOutputCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicCacheOptions>()
            .Bind(configuration.GetSection(PublicCacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<PublicCacheOptions>, IOptions<PublicAddressOptions>>((cache, settings, address) =>
        {
            cache.DefaultExpirationTimeSpan = TimeSpan.FromMinutes(settings.Value.ExpirationMinutes);
            cache.SizeLimit = settings.Value.SizeLimitMegabytes * 1024L * 1024L;
            cache.AddPolicy(PolicyName, new PublicPagePolicy(address.Value.BaseUri));
        });
        services.AddHostedService<WeekChangeListener>();
        return services;
    }

    /// <summary>Goes after the language is resolved and the user is authenticated: the policy reads both.</summary>
    public static IApplicationBuilder UseRegistryOutputCache(this IApplicationBuilder app) => app.UseOutputCache();

    /// <param name="publicAddress">
    /// With a configured public address, pages are built for it whatever Host a request names: they are
    /// kept once, not once per host, and only a request for the configured host may store one. Without
    /// one (a local run), links follow the request and the page is kept under the host it was built for.
    /// </param>
    private sealed class PublicPagePolicy(Uri? publicAddress) : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var http = context.HttpContext;
            var cacheable = (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                && !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
                && http.User.Identity?.IsAuthenticated != true;

            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable && !PublicAddress.IsForeignHost(http, publicAddress);
            context.CacheVaryByRules.VaryByHost = publicAddress is null;
            // No request coalescing: when the first visitor of an uncached page hangs up, the output cache
            // hands its cancellation to every visitor waiting on the same page, who then get a 500.
            context.AllowLocking = false;
            context.Tags.Add(Tag);
            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.VaryByValues[Languages.QueryKey] = LanguageOf(http);
            // The version for the visually impaired is another page: a cookie may choose it, which the query keys do not see.
            context.CacheVaryByRules.VaryByValues[ReadingModes.QueryKey] = ReadingModes.Of(http);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var response = context.HttpContext.Response;
            // A cookie belongs to one visitor (a language choice, an anti-forgery token) and must not be replayed to others.
            if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
                context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }

        // The language the localization middleware settled on from ?lang=, the cookie or Accept-Language,
        // so that the many Accept-Language spellings of one language share one cached page.
        private static string LanguageOf(HttpContext http)
        {
            var name = http.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.TwoLetterISOLanguageName;
            return name is not null && Languages.All.Contains(name) ? name : Languages.Russian;
        }
    }
}
