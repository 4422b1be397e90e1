using Microsoft.AspNetCore.Http.Features;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Answers HEAD wherever GET is answered, as HTTP requires: the request goes through the site as a GET,
/// so that it meets the same routes, cache, headers and status, and whatever body the GET writes is
/// dropped. One place for the whole site, rather than HEAD added to every route.
/// </summary>
public static class HeadRequests
{
    /// <summary>Goes before routing and the output cache, so that a HEAD finds the GET's route and its cached page.</summary>
    public static IApplicationBuilder UseRegistryHeadRequests(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }

            var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
            context.Request.Method = HttpMethods.Get;
            try
            {
                await next(context);
            }
            finally
            {
                // The request log and anything after the site see the method the client sent.
                context.Request.Method = HttpMethods.Head;
                context.Features.Set(body);
            }
        });
}
