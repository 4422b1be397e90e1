using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>The OpenAPI description of the JSON API, at /openapi/v1.json.</summary>
public static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    public static IServiceCollection AddRegistryApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            PublicAddress.NameServer(document, context.ApplicationServices.GetRequiredService<IOptions<PublicAddressOptions>>().Value);
            document.Info.Title = "Ashyq Registry API";
            document.Info.Description =
                "Read-only figures of the published weeks of the Ashyq registry of Almaty: counts, lists and the status of each business.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapRegistryApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(Path);
        return endpoints;
    }
}
