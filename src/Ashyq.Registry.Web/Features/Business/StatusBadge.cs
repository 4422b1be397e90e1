using System.Globalization;
using System.Security;

namespace Ashyq.Registry.Web.Features.Business;

/// <summary>
/// A small SVG a business can embed on its own site: "Ashyq | Лидер". System fonts only, and the
/// status is in words, so the colour is never the only signal.
/// </summary>
public static class StatusBadge
{
    private const double CharWidth = 7.2;
    private const int Padding = 8;

    public static string Render(string label, string status, string statusCode, string title)
    {
        var colour = statusCode switch
        {
            "leader" => "#17692f",
            "outsider" => "#8a4b00",
            "excluded" => "#a3172b",
            _ => "#2d4f7c",
        };
        var left = Width(label);
        var right = Width(status);
        var total = left + right;
        var text = SecurityElement.Escape(label);
        var value = SecurityElement.Escape(status);
        var heading = SecurityElement.Escape(title);
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" viewBox="0 0 {total} 20" role="img" aria-label="{text}: {value}">
            <title>{text}: {value}. {heading}</title>
            <rect width="{left}" height="20" fill="#3b4650"/>
            <rect x="{left}" width="{right}" height="20" fill="{colour}"/>
            <g fill="#fff" font-family="Verdana, 'DejaVu Sans', sans-serif" font-size="11" text-anchor="middle">
            <text x="{left / 2.0}" y="14">{text}</text>
            <text x="{left + (right / 2.0)}" y="14">{value}</text>
            </g>
            </svg>
            """);
    }

    private static int Width(string text) => (int)Math.Ceiling(text.Length * CharWidth) + (2 * Padding);
}
