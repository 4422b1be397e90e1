using Ashyq.Registry.Web.Features.Shared;

namespace Ashyq.Registry.Web.Features.Api;

/// <summary>
/// Where an answer's figures come from: the week they are of, when staff published it and the SHA-256 of the
/// ministry's file behind it. The JSON answers carry them as <c>week</c>, <c>publishedAt</c> and
/// <c>sourceSha256</c>; the CSV and XLSX downloads as the response headers named here.
/// </summary>
public static class Provenance
{
    public const string Week = "The week the figures are of, named by its Monday (yyyy-MM-dd)";

    public const string PublishedAt = "When staff published that week, as ISO 8601 with its offset from UTC";

    public const string SourceSha256 = "The SHA-256 (lower-case hex) of the ministry's file the week was published from";

    public const string WeekHeader = "Ashyq-Week";

    public const string PublishedAtHeader = "Ashyq-Published-At";

    public const string SourceSha256Header = "Ashyq-Source-Sha256";

    /// <summary>The three headers of a download of this week.</summary>
    public static void Describe(HttpResponse response, PublishedWeek week)
    {
        response.Headers[WeekHeader] = week.Key;
        response.Headers[PublishedAtHeader] = Moment(week.PublishedAt);
        response.Headers[SourceSha256Header] = week.SourceSha256;
    }

    /// <summary>A moment as ISO 8601 with its offset (2021-07-19T07:33:00+00:00), as the JSON answers write it.</summary>
    public static string Moment(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
}
