using System.Globalization;
using System.Security;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Business;

/// <summary>How a badge looks: a status of the latest published week, one of an earlier week, or no status at all.</summary>
public enum BadgeKind
{
    Current,
    Stale,
    NoStatus,
}

/// <summary>
/// A small SVG a business can embed on its own site: "Ashyq | Лидер · 19.07.2021". System fonts only, and
/// the status and its week are in words, so the colour is never the only signal; a status of a week that
/// is no longer the latest is grey and says so, and an address that names no business answers an image
/// that says that, since an image on another site cannot show an error page.
/// </summary>
public static class StatusBadge
{
    private const double CharWidth = 7.2;
    private const int Padding = 8;

    // Grey for a status that is not the latest week's, and for no status: neither claims anything current.
    private const string Grey = "#5b6670";

    public static string Render(string label, string status, string statusCode, string title, BadgeKind kind = BadgeKind.Current)
    {
        var colour = kind != BadgeKind.Current ? Grey : statusCode switch
        {
            "leader" => "#17692f",
            "outsider" => "#8a4b00",
            "excluded" => "#a3172b",
            _ => "#2d4f7c",
        };
        var shownLabel = Clean(label);
        var shownStatus = Clean(status);
        var left = Width(shownLabel);
        var right = Width(shownStatus);
        var total = left + right;
        var text = SecurityElement.Escape(shownLabel);
        var value = SecurityElement.Escape(shownStatus);
        var heading = SecurityElement.Escape(Clean(title));
        var state = kind switch
        {
            BadgeKind.Stale => "stale",
            BadgeKind.NoStatus => "none",
            _ => "current",
        };
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" viewBox="0 0 {total} 20" role="img" aria-label="{text}: {value}" data-state="{state}">
            <title>{heading}</title>
            <rect width="{left}" height="20" fill="#3b4650"/>
            <rect x="{left}" width="{right}" height="20" fill="{colour}"/>
            <g fill="#fff" font-family="Verdana, 'DejaVu Sans', sans-serif" font-size="11" text-anchor="middle">
            <text x="{left / 2.0}" y="14">{text}</text>
            <text x="{left + (right / 2.0)}" y="14">{value}</text>
            </g>
            </svg>
            """);
    }

    /// <summary>
    /// What the badge's right half says: "Лидер · 19.07.2021", with "· на проверке" during a review, and
    /// for a business the latest published week does not list, the week of its status and that it is not
    /// in the latest week.
    /// </summary>
    public static string StatusText(Texts texts, BusinessHistory history, DateOnly? latestWeek, out BadgeKind kind)
    {
        var status = Wording.Status(texts, history.Current.Status);
        if (history.UnderReviewSince is not null)
            status = texts.Format("badge.underReview", status);
        var week = ShortWeek(history.Current.WeekStart);
        kind = latestWeek is { } latest && latest != history.Current.WeekStart ? BadgeKind.Stale : BadgeKind.Current;
        return texts.Format(kind == BadgeKind.Stale ? "badge.stale" : "badge.week", status, week);
    }

    /// <summary>The badge in words, for its title and for the alt text of the code a business copies.</summary>
    public static string Description(Texts texts, BusinessHistory history, string statusText) =>
        texts.Format("badge.description", history.Profile.Name, statusText);

    /// <summary>
    /// The HTML a business copies onto its own site: the image with an alt text in words. Only the characters
    /// that matter to an attribute are escaped, so that the name's own letters and quotation marks stay readable.
    /// </summary>
    public static string EmbedCode(string siteAddress, string id, string alt)
    {
        var escaped = alt.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        return $"<img src=\"{siteAddress}/business/{id}/badge.svg\" alt=\"{escaped}\" />";
    }

    /// <summary>The week as a badge shows it, in the reader's short date: "19.07.2021", "19/07/2021".</summary>
    public static string ShortWeek(DateOnly weekStart) => weekStart.ToString("d", Wording.Culture);

    // XML 1.0 forbids most control characters, which a row stored before the import's character rule may hold.
    private static string Clean(string text) => TextNormalizer.RemoveUnsafeCharacters(text);

    private static int Width(string text) => (int)Math.Ceiling(text.Length * CharWidth) + (2 * Padding);
}
