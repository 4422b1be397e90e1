using Microsoft.AspNetCore.WebUtilities;

namespace Ashyq.Registry.Web.Localization;

public static class LanguageLinks
{
    /// <summary>The current page in another language: the same path and query, with lang= set.</summary>
    public static string Switch(HttpRequest request, string language) => WithQueryValue(request, Languages.QueryKey, language);

    /// <summary>The current page with one query key set to a value and every other key kept.</summary>
    public static string WithQueryValue(HttpRequest request, string key, string value)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => p.Key != key)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>(key, value));
        return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
    }
}
