using Ashyq.Registry.Core.Weeks;
using Microsoft.AspNetCore.WebUtilities;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// A public address that names a week by any of its days (<c>?week=2021-07-20</c>, or
/// <c>/api/v1/weeks/2021-07-20</c>) moves permanently to the same address naming the reporting week,
/// the Monday that day falls in. A journalist's link to "the week of the 20th" then lands on that week
/// instead of a 404. Staff pages are left alone.
/// </summary>
public static class WeekRedirects
{
    private const string WeekKey = "week";
    private const string WeeksApi = "/api/v1/weeks/";

    public static IApplicationBuilder UseRegistryWeekRedirects(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && Target(context.Request) is { } target)
            {
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = target;
                return;
            }
            await next(context);
        });

    /// <summary>The address naming the Monday, or null when the request names no week by another day.</summary>
    public static string? Target(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith("/staff", StringComparison.OrdinalIgnoreCase))
            return null;
        var moved = false;
        if (path.StartsWith(WeeksApi, StringComparison.OrdinalIgnoreCase) && Monday(path[WeeksApi.Length..]) is { } start)
        {
            path = WeeksApi + start;
            moved = true;
        }
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            foreach (var value in values)
            {
                if (string.Equals(key, WeekKey, StringComparison.OrdinalIgnoreCase) && Monday(value) is { } week)
                {
                    pairs.Add(new(key, week));
                    moved = true;
                }
                else
                {
                    pairs.Add(new(key, value));
                }
            }
        }
        return moved ? QueryHelpers.AddQueryString(request.PathBase + path, pairs) : null;
    }

    private static string? Monday(string? text) =>
        WeekDates.TryParse(text, out var day) && day.DayOfWeek != DayOfWeek.Monday ? WeekDates.ToText(WeekDates.MondayOf(day)) : null;
}
