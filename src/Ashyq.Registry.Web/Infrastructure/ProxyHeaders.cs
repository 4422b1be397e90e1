using Microsoft.AspNetCore.HttpOverrides;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Behind a load balancer that ends TLS, the client's address and scheme arrive in X-Forwarded-For and
/// X-Forwarded-Proto. They are believed only when ForwardedHeaders:Enabled is set, since any client
/// could send them to a node exposed directly.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddRegistryProxyHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = configuration.GetValue("ForwardedHeaders:ForwardLimit", 1);
            // The balancer's address is the deployment's, not known here: trust the configured hop count.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
        return services;
    }

    public static IApplicationBuilder UseRegistryProxyHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        if (configuration.GetValue("ForwardedHeaders:Enabled", false))
            app.UseForwardedHeaders();
        return app;
    }
}
