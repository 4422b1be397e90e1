using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>The site's public address, Registry:PublicBaseUrl ("https://registry.example.kz").</summary>
public sealed class PublicAddressOptions : IValidatableObject
{
    public const string Section = "Registry";

    /// <summary>
    /// Where the public reaches the site. Absolute links (feeds, the badge's embed code, the API
    /// document's server) are built from it, never from the Host a client sends. Empty on local runs,
    /// where they follow the request.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The configured address without a trailing slash, or null when none is configured.</summary>
    public Uri? BaseUri => string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : new Uri(PublicBaseUrl.Trim().TrimEnd('/'), UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PublicBaseUrl))
            yield break;
        if (!Uri.TryCreate(PublicBaseUrl.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            yield return new ValidationResult(
                $"Registry:PublicBaseUrl ('{PublicBaseUrl}') must be an absolute http or https address with no query, such as https://registry.example.kz.",
                [nameof(PublicBaseUrl)]);
        }
    }
}

public static class PublicAddress
{
    public static IServiceCollection AddRegistryPublicAddress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicAddressOptions>()
            .Bind(configuration.GetSection(PublicAddressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>The start of every absolute link: the configured address, or on a local run the request's own.</summary>
    public static string SiteAddress(this HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<PublicAddressOptions>>().Value.BaseUri;
        if (configured is not null)
            return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }

    /// <summary>
    /// True when an address is configured and the request names another host than it, or another port
    /// when it names one: a proxy that ends TLS passes the host without the port, over plain HTTP.
    /// </summary>
    public static bool IsForeignHost(HttpContext context, Uri? configured) =>
        configured is not null
        && !(string.Equals(context.Request.Host.Host, configured.IdnHost, StringComparison.OrdinalIgnoreCase)
            && (context.Request.Host.Port is not { } port || port == configured.Port));

    /// <summary>The API document names the configured address as its server instead of the request's.</summary>
    internal static void NameServer(OpenApiDocument document, PublicAddressOptions options)
    {
        if (options.BaseUri is { } configured)
            document.Servers = [new OpenApiServer { Url = configured.GetLeftPart(UriPartial.Path).TrimEnd('/') }];
    }
}
