using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Web.Features.Search;

/// <summary>Bounds of the public search, from the "Search" configuration section.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>The longest search text, in characters; a longer one is searched for its beginning and the page says so.</summary>
    [Range(12, 1000)]
    public int MaxQueryCharacters { get; set; } = 100;

    /// <summary>The most words of a search text that must each match; the words after them are left out and the page says so.</summary>
    [Range(1, 20)]
    public int MaxWords { get; set; } = 6;
}

public static class SearchServices
{
    public static IServiceCollection AddPublicSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SearchOptions>()
            .Bind(configuration.GetSection(SearchOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
