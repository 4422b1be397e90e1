using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Brotli or gzip, whichever the client prefers, for the site's text: pages, JSON, CSV, SVG, Atom, styles
/// and scripts. At the fastest level, since every answer is compressed as it is sent, those the output
/// cache serves included (the cache keeps pages as rendered, one copy for every encoding).
/// Staff pages are left as they are: they carry form tokens beside text an attacker could choose.
/// </summary>
public static class Compression
{
    public static readonly string[] MimeTypes =
    [
        "text/html", "application/json", "application/problem+json", "text/csv", "image/svg+xml",
        "application/atom+xml", "text/css", "text/javascript", "application/javascript", "text/plain",
    ];

    public static IServiceCollection AddRegistryCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = MimeTypes;
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>Goes before the output cache and the validators, so that what they keep and hash is the page itself.</summary>
    public static IApplicationBuilder UseRegistryCompression(this IApplicationBuilder app) =>
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/staff", StringComparison.OrdinalIgnoreCase),
            branch => branch.UseResponseCompression());
}
