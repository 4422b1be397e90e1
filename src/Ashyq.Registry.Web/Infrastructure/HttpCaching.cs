using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Settings of what browsers and shared caches are told, from the "HttpCache" configuration section.</summary>
public sealed class HttpCacheOptions
{
    public const string Section = "HttpCache";

    /// <summary>
    /// How long a browser or proxy may reuse a public page, API answer, download, feed or badge without
    /// asking again; after a publish or withdraw nobody sees the old week for longer than this.
    /// </summary>
    [Range(0, 86_400)]
    public int PublicMaxAgeSeconds { get; set; } = 60;

    /// <summary>
    /// The max-age of a page, download or API answer that names a week other than the latest one. Its figures
    /// no longer change; what may is its week selector (a newer week) or a withdrawal, and a browser or proxy
    /// may show the page without them for this long.
    /// </summary>
    [Range(0, 604_800)]
    public int PastWeekMaxAgeSeconds { get; set; } = 3600;

    /// <summary>
    /// The largest answer held back to work out its ETag. A longer one (a whole list's download, say) is
    /// streamed as it is written, with its lifetime but without a validator, so that it never sits in
    /// memory whole.
    /// </summary>
    [Range(0, 64 * 1024 * 1024)]
    public int EntityTagMaxBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Cache lifetimes and validators. Static files whose address carries their version are kept for a
/// year; staff pages are never stored; public answers (the endpoints of <see cref="PublicOutputCache"/>)
/// get a short public max-age and a weak ETag made from the bytes they carry, so that it changes exactly
/// when what they show changes and is the same on every node, and a matching If-None-Match is answered 304.
/// </summary>
public static class HttpCaching
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string NoStore = "no-store";

    public static IServiceCollection AddRegistryHttpCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpCacheOptions>()
            .Bind(configuration.GetSection(HttpCacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static string PublicCacheControl(HttpCacheOptions options) => PublicCacheControl(options.PublicMaxAgeSeconds);

    public static string PublicCacheControl(int maxAgeSeconds) =>
        "public, max-age=" + maxAgeSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What a page that shows a week tells caches: Last-Modified is the last publication or withdrawal of any
    /// week (the latest week's publication, unless a withdrawal came after it), because a later week changes
    /// a past week's page too (its week selector, the date an excluded business was readmitted). A past
    /// week's page is kept for <see cref="HttpCacheOptions.PastWeekMaxAgeSeconds"/>. The headers are set by
    /// the page, so the output cache keeps them with it.
    /// </summary>
    public static void ShowsWeek(HttpResponse response, DateTimeOffset lastChanged, bool pastWeek)
    {
        response.Headers.LastModified = lastChanged.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        if (pastWeek)
        {
            var options = response.HttpContext.RequestServices.GetRequiredService<IOptions<HttpCacheOptions>>().Value;
            response.Headers.CacheControl = PublicCacheControl(options.PastWeekMaxAgeSeconds);
        }
    }

    /// <summary>Static files: a versioned address (<c>?v=</c>) never changes its content, any other may.</summary>
    public static IApplicationBuilder UseRegistryStaticFiles(this IApplicationBuilder app)
    {
        var unversioned = PublicCacheControl(app.ApplicationServices.GetRequiredService<IOptions<HttpCacheOptions>>().Value);
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Query.ContainsKey("v") ? Immutable : unversioned,
        });
    }

    /// <summary>Goes before routing, so that the sign-in redirects and error pages of the staff area are covered too.</summary>
    public static IApplicationBuilder UseRegistryStaffNoStore(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/staff", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.OnStarting(static state =>
                {
                    ((HttpResponse)state).Headers.CacheControl = NoStore;
                    return Task.CompletedTask;
                }, context.Response);
            }
            return next(context);
        });

    /// <summary>
    /// Goes after routing and authentication and before the output cache, so that a page served from
    /// the cache gets its validators and its 304 too.
    /// </summary>
    public static IApplicationBuilder UseRegistryHttpCaching(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HttpCacheOptions>>().Value;
        var publicCacheControl = PublicCacheControl(options);
        return app.Use(async (context, next) =>
        {
            if (!IsPublicAnswer(context))
            {
                await next(context);
                return;
            }

            var response = context.Response;
            var client = response.Body;
            await using var body = new HeldBackBody(client, options.EntityTagMaxBytes, () => SetLifetime(response, publicCacheControl));
            response.Body = body;
            // The conditions are this middleware's to answer, after the page is made or taken from the
            // cache: the output cache, which now keeps each page's tag, would otherwise answer 304 itself,
            // without the page's lifetime and Last-Modified.
            var request = context.Request.Headers;
            var (ifNoneMatch, ifModifiedSince) = (request.IfNoneMatch, request.IfModifiedSince);
            request.Remove(HeaderNames.IfNoneMatch);
            request.Remove(HeaderNames.IfModifiedSince);
            try
            {
                await next(context);
            }
            finally
            {
                response.Body = client;
                if (!StringValues.IsNullOrEmpty(ifNoneMatch))
                    request.IfNoneMatch = ifNoneMatch;
                if (!StringValues.IsNullOrEmpty(ifModifiedSince))
                    request.IfModifiedSince = ifModifiedSince;
            }
            if (body.Streamed)
                return;

            if (SetLifetime(response, publicCacheControl))
            {
                // A page the output cache serves carries the tag it was stored with (UseRegistryEntityTags):
                // it is not hashed again for every visitor.
                var tag = response.Headers.ETag is { Count: 1 } stored ? stored.ToString() : EntityTag(body.Held);
                response.Headers.ETag = tag;
                if (Matches(context.Request.Headers.IfNoneMatch, tag) || NotModifiedSince(context.Request, response))
                {
                    response.StatusCode = StatusCodes.Status304NotModified;
                    response.ContentLength = null;
                    return;
                }
            }
            else
            {
                response.Headers.Remove(HeaderNames.ETag);
            }
            body.Held.Position = 0;
            await body.Held.CopyToAsync(client, context.RequestAborted);
        });
    }

    /// <summary>
    /// Goes after the output cache: tags a public answer the endpoint has just made (a cache miss) with the
    /// ETag of its bytes, which the cache then keeps with the page, so that each stored page is hashed once
    /// rather than on every request it serves. Lifetimes and 304s stay with <see cref="UseRegistryHttpCaching"/>,
    /// which sees every answer, from the cache or not. An answer that may not be kept (not a 200, or one that
    /// sets a cookie) or is longer than <see cref="HttpCacheOptions.EntityTagMaxBytes"/> is left untagged.
    /// </summary>
    public static IApplicationBuilder UseRegistryEntityTags(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<HttpCacheOptions>>().Value;
        return app.Use(async (context, next) =>
        {
            if (!IsPublicAnswer(context))
            {
                await next(context);
                return;
            }

            var response = context.Response;
            var client = response.Body;
            await using var body = new HeldBackBody(client, options.EntityTagMaxBytes, static () => true);
            response.Body = body;
            try
            {
                await next(context);
            }
            finally
            {
                response.Body = client;
            }
            if (body.Streamed)
                return;
            if (response.StatusCode == StatusCodes.Status200OK && response.Headers.SetCookie.Count == 0)
                response.Headers.ETag = EntityTag(body.Held);
            body.Held.Position = 0;
            await body.Held.CopyToAsync(client, context.RequestAborted);
        });
    }

    /// <summary>
    /// A successful answer that sets no cookie may be kept for the public lifetime, or for the one its page
    /// chose (<see cref="ShowsWeek"/>); any other answer keeps neither that nor its Last-Modified.
    /// </summary>
    private static bool SetLifetime(HttpResponse response, string publicCacheControl)
    {
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count != 0)
        {
            response.Headers.Remove(HeaderNames.LastModified);
            if (response.Headers.CacheControl.ToString().StartsWith("public", StringComparison.Ordinal))
                response.Headers.Remove(HeaderNames.CacheControl);
            return false;
        }
        if (StringValues.IsNullOrEmpty(response.Headers.CacheControl))
            response.Headers.CacheControl = publicCacheControl;
        // What is shown depends on the language, which a cookie or Accept-Language may choose.
        response.Headers.Append(HeaderNames.Vary, new StringValues([HeaderNames.AcceptLanguage, HeaderNames.Cookie]));
        return true;
    }

    /// <summary>
    /// Holds an answer back up to a size, so that its ETag can be worked out before it is sent; past the
    /// size it sends what it held and streams the rest.
    /// </summary>
    private sealed class HeldBackBody(Stream client, int limit, Func<bool> beforeStreaming) : Stream
    {
        public MemoryStream Held { get; } = new();

        public bool Streamed { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!Streamed && Held.Length + buffer.Length <= limit)
            {
                Held.Write(buffer.Span);
                return;
            }
            if (!Streamed)
            {
                Streamed = true;
                beforeStreaming();
                Held.Position = 0;
                await Held.CopyToAsync(client, cancellationToken);
                Held.SetLength(0);
            }
            await client.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
            if (Streamed)
                client.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            Streamed ? client.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                Held.Dispose();
            base.Dispose(disposing);
        }
    }

    private static bool IsPublicAnswer(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.User.Identity?.IsAuthenticated != true
        && context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>()?.PolicyName == PublicOutputCache.PolicyName;

    private static string EntityTag(MemoryStream body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length), hash);
        return "W/\"" + Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
    }

    // If-Modified-Since counts only without If-None-Match (RFC 9110, 13.2.2); the page's Last-Modified has whole seconds.
    private static bool NotModifiedSince(HttpRequest request, HttpResponse response) =>
        StringValues.IsNullOrEmpty(request.Headers.IfNoneMatch)
        && response.GetTypedHeaders().LastModified is { } lastModified
        && request.GetTypedHeaders().IfModifiedSince is { } since
        && lastModified <= since;

    // Weak comparison (RFC 9110, 13.1.2): a client may send the tag back with or without W/.
    private static bool Matches(StringValues ifNoneMatch, string tag)
    {
        var opaque = tag.AsSpan(2);
        foreach (var header in ifNoneMatch)
        {
            foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*" || part.AsSpan().EndsWith(opaque) && (part.Length == opaque.Length || part.Length == opaque.Length + 2 && part.StartsWith("W/", StringComparison.Ordinal)))
                    return true;
            }
        }
        return false;
    }
}
