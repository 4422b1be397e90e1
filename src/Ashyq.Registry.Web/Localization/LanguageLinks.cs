using Microsoft.AspNetCore.WebUtilities;

namespace Ashyq.Registry.Web.Localization;

public static class LanguageLinks
{
    /// <summary>The current page in another language: the same path and query, with lang= set.</summary>
    public static string Switch(HttpRequest request, string language)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => p.Key != Languages.QueryKey)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>(Languages.QueryKey, language));
        return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
    }
}
