using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// The OpenAPI description of what the site answers to scripts, at /openapi/v1.json: the JSON API, the list
/// downloads, the feeds and the badge. Each operation has an id; error answers are problem documents; the
/// limits the site applies to a parameter (a page size brought into 1 to 500) are stated with it.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/{documentName}.json";

    /// <summary>The open licence under which the published figures may be reused, as the /about page states it.</summary>
    public const string LicenceName = "CC BY 4.0";

    public const string LicenceUrl = "https://creativecommons.org/licenses/by/4.0/";

    private static readonly string[] ListNames = ["leaders", "outsiders", "excluded", "participants", "exclusions"];
    private static readonly string[] DownloadFormats = ["csv", "xlsx", "json"];

    private static readonly Dictionary<string, string[]> FileAnswers = new(StringComparer.Ordinal)
    {
        ["downloadList"] = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/json"],
        ["weeksFeed"] = ["application/atom+xml"],
        ["businessFeed"] = ["application/atom+xml"],
        ["businessBadge"] = ["image/svg+xml"],
    };

    private static readonly (string Code, string Description)[] BadgeRefusals =
    [
        ("400", "The address names no BIN or IIN: a grey badge that says it is not a BIN"),
        ("404", "No published week lists the business: a grey badge that says no such business is listed"),
    ];

    public static IServiceCollection AddRegistryApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                PublicAddress.NameServer(document, context.ApplicationServices.GetRequiredService<IOptions<PublicAddressOptions>>().Value);
                // Paths start with a slash; a server address ending in one would double it.
                foreach (var server in document.Servers ?? [])
                    server.Url = server.Url?.TrimEnd('/');
                document.Info.Title = "Ashyq Registry API";
                document.Info.Description =
                    "Read-only figures of the published weeks of the Ashyq registry of Almaty: counts, lists and the status of each business. "
                    + "Answers are in the language asked for with lang=ru, kk or en where they hold words. Every client address may make a set "
                    + "number of API requests a minute; past it the answer is 429 with Retry-After.";
                document.Info.License = new OpenApiLicense { Name = LicenceName, Url = new Uri(LicenceUrl) };
                document.Info.Contact = new OpenApiContact { Name = "The chamber of entrepreneurs of Almaty, through the registry's about page" };
                foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                    tag.Description = TagDescriptions.TryGetValue(tag.Name ?? "", out var said) ? said : tag.Description;
                DescribeProblemExtensions(document);
                foreach (var (path, item) in document.Paths)
                {
                    if (item.Operations is null)
                        continue;
                    foreach (var operation in item.Operations.Values)
                        AnswersEveryRequestMayGet(document, path, operation);
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, _, _) =>
            {
                // Files, feeds and the badge are not JSON: their media types are named here, by operation.
                if (operation.OperationId is { } id && FileAnswers.TryGetValue(id, out var types)
                    && operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse answer)
                {
                    answer.Content = types.ToDictionary(t => t, t => new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = t.EndsWith("json", StringComparison.Ordinal) ? null : "binary" },
                    });
                }
                if (operation.OperationId == "downloadList" && operation.Responses?.TryGetValue("200", out var file) == true && file is OpenApiResponse download)
                    download.Headers = ProvenanceHeaders();
                // The badge answers an address that names no business with an image that says so, for the page embedding it.
                if (operation.OperationId == "businessBadge")
                {
                    foreach (var (code, description) in BadgeRefusals)
                    {
                        if (operation.Responses?.TryGetValue(code, out var refused) == true && refused is OpenApiResponse image)
                        {
                            image.Description = description;
                            image.Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["image/svg+xml"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                            };
                        }
                    }
                }
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter.Schema is not OpenApiSchema schema)
                        continue;
                    switch (parameter.Name)
                    {
                        case "pageSize":
                            schema.Minimum = "1";
                            schema.Maximum = Features.Lists.ListQuery.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
                            break;
                        case "page":
                            schema.Minimum = "1";
                            break;
                        case "kind":
                            schema.Enum = [.. ListNames.Select(k => (JsonNode)k)];
                            break;
                        case "format":
                            schema.Enum = [.. DownloadFormats.Select(k => (JsonNode)k)];
                            break;
                    }
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// What any request may be answered besides its own answers: 400 when its address or query holds control or
    /// invisible characters (the site refuses them before any page runs), and on the JSON API 429 past the
    /// client address's limit.
    /// </summary>
    private static void AnswersEveryRequestMayGet(OpenApiDocument document, string path, OpenApiOperation operation)
    {
        operation.Responses ??= [];
        if (operation.Parameters?.Any(p => p.Name is "week" or "weekStart") == true && !operation.Responses.ContainsKey("301"))
        {
            operation.Responses["301"] = new OpenApiResponse
            {
                Description = "The week was named by another of its days: the same address naming its Monday, in Location",
            };
        }
        if (!operation.Responses.ContainsKey("400"))
            operation.Responses["400"] = new OpenApiResponse { Description = "The address or query holds control or invisible characters" };
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            operation.Responses["429"] = new OpenApiResponse
            {
                Description = "Too many requests from this client address in the window; Retry-After says in how many seconds to ask again",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                },
            };
        }
    }

    /// <summary>Where a download's figures come from, in headers: the JSON download has the same as the fields week, publishedAt and sourceSha256.</summary>
    private static Dictionary<string, IOpenApiHeader> ProvenanceHeaders() => new(StringComparer.Ordinal)
    {
        [Features.Api.Provenance.WeekHeader] = new OpenApiHeader
        {
            Description = Features.Api.Provenance.Week,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
        },
        [Features.Api.Provenance.PublishedAtHeader] = new OpenApiHeader
        {
            Description = Features.Api.Provenance.PublishedAt,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        },
        [Features.Api.Provenance.SourceSha256Header] = new OpenApiHeader
        {
            Description = Features.Api.Provenance.SourceSha256,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9a-f]{64}$" },
        },
    };

    /// <summary>The members the site adds to a problem document: the request's trace id, and for a withdrawn week when and why.</summary>
    private static void DescribeProblemExtensions(OpenApiDocument document)
    {
        if (document.Components?.Schemas?.TryGetValue("ProblemDetails", out var found) != true || found is not OpenApiSchema problem)
            return;
        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's id in the site's log" };
        problem.Properties["weekStart"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "A withdrawn week's Monday (410 only)" };
        problem.Properties["withdrawnAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the week was withdrawn (410 only)" };
        problem.Properties["reason"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Why staff withdrew the week (410 only)" };
    }

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["weeks"] = "The published weeks and their totals",
        ["lists"] = "The lists of a published week, page by page",
        ["businesses"] = "One business's status and history",
        ["downloads"] = "Whole lists as files",
        ["feeds"] = "Atom feeds of changes",
        ["badge"] = "A business's status as an image",
    };

    public static IEndpointRouteBuilder MapRegistryApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(Path);
        return endpoints;
    }
}
