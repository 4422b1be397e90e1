using System.Net;
using AngleSharp.Html.Parser;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>The version for the visually impaired: a plain link chooses it, a cookie keeps it, the cache keeps the two apart.</summary>
public sealed class ReadingModeTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Theory]
    [InlineData("ru", "Версия для слабовидящих", "Обычная версия сайта")]
    [InlineData("kk", "Нашар көретіндерге арналған нұсқа", "Сайттың кәдімгі нұсқасы")]
    [InlineData("en", "Version for the visually impaired", "Standard version of the site")]
    public async Task Get_Page_OffersTheLargeVersion_AndTheLargeVersionOffersTheStandardOne(string language, string toLarge, string toStandard)
    {
        var standard = await site.PageAsync($"/leaders?week=2021-07-12", client: site.Client(language));
        var link = standard.ByTestId("view-switch");
        var large = await site.PageAsync(link.GetAttribute("href")!, client: site.Client(language));

        Assert.Equal("standard", standard.DocumentElement.GetAttribute("data-view"));
        Assert.Equal(toLarge, link.Text());
        Assert.Equal("/leaders?week=2021-07-12&view=large", link.GetAttribute("href"));
        Assert.Equal("large", large.DocumentElement.GetAttribute("data-view"));
        Assert.Contains("view-large", large.DocumentElement.ClassList);
        Assert.Equal(toStandard, large.ByTestId("view-switch").Text());
        Assert.Equal("standard", large.ByTestId("view-switch").GetAttribute("data-view-to"));
    }

    [Fact]
    public async Task Get_ViewLarge_IsKeptInACookie_AndViewStandardTakesItBack()
    {
        var chosen = await site.Client().GetAsync("/?view=large");
        var back = await site.Client().GetAsync("/?view=standard");
        var nonsense = await site.Client().GetAsync("/?view=<script>");

        var cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("view=large;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("view=standard;", Assert.Single(back.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.False(nonsense.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, nonsense.StatusCode);
    }

    [Theory]
    [InlineData("/no-such-page?view=large", HttpStatusCode.NotFound)]
    [InlineData("/leaders?week=2001-01-01&view=large", HttpStatusCode.NotFound)]
    [InlineData("/leaders?week=2021-07-26&view=large", HttpStatusCode.Gone)]
    public async Task Get_ErrorPage_AskedForInTheLargeVersion_IsInTheLargeVersion(string url, HttpStatusCode status)
    {
        var page = await site.PageAsync(url, status);

        Assert.Equal("large", page.DocumentElement.GetAttribute("data-view"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/leaders")]
    [InlineData("/statistics?week=2021-07-12")]
    [InlineData("/about")]
    public async Task Get_SamePageInBothModes_TheOutputCacheNeverHandsOneModeTheOther(string url)
    {
        var standardClient = site.Client();
        var largeClient = site.Client();
        largeClient.DefaultRequestHeaders.Add("Cookie", "view=large");

        // Each mode twice, interleaved, so that every answer after the first of its mode may come from the cache.
        var standardFirst = await standardClient.GetAsync(url);
        var largeFirst = await largeClient.GetAsync(url);
        var standardAgain = await standardClient.GetAsync(url);
        var largeAgain = await largeClient.GetAsync(url);

        foreach (var (response, mode) in new[] { (standardFirst, "standard"), (largeFirst, "large"), (standardAgain, "standard"), (largeAgain, "large") })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            Assert.Equal(mode, page.DocumentElement.GetAttribute("data-view"));
        }
        Assert.NotEqual(standardFirst.Headers.ETag, largeFirst.Headers.ETag);
        Assert.Equal(standardFirst.Headers.ETag, standardAgain.Headers.ETag);
        Assert.Equal(largeFirst.Headers.ETag, largeAgain.Headers.ETag);
        Assert.Contains("Cookie", largeFirst.Headers.Vary);
    }
}
