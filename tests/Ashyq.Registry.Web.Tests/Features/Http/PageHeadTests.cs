using System.Net;
using AngleSharp.Html.Parser;

namespace Ashyq.Registry.Web.Tests.Features.Http;

public sealed class PageHeadTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Fact]
    public async Task Get_FaviconIco_IsAnIconOfTheSite()
    {
        var response = await site.Client().GetAsync("/favicon.ico");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0, 0, 1, 0, 1, 0 }, bytes[..6]);
    }

    [Fact]
    public async Task Get_Page_LinksAnSvgIconThatIsServed()
    {
        var page = await site.PageAsync("/");

        var icon = page.QuerySelector("link[rel='icon']")!;
        Assert.Equal("image/svg+xml", icon.GetAttribute("type"));
        var response = await site.Client().GetAsync(icon.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string> PublicPages() =>
    [
        "/",
        "/leaders",
        "/outsiders",
        "/exclusions",
        "/search",
        "/statistics",
        "/changes",
        "/about",
        $"/business/{PublicSiteFixture.C}",
    ];

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task Get_PublicPage_HasAMetaDescriptionOfItsOwn_InEachLanguage(string url)
    {
        var descriptions = new List<string>();
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            var page = await site.PageAsync(url, client: site.Client(language));
            var description = page.QuerySelector("meta[name='description']")?.GetAttribute("content");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{url} in {language} has no description");
            descriptions.Add(description);
        }

        Assert.Equal(3, descriptions.Distinct().Count());
        var siteWide = (await site.PageAsync("/no-such-page", HttpStatusCode.NotFound, site.Client("en")))
            .QuerySelector("meta[name='description']")?.GetAttribute("content");
        Assert.NotEqual(siteWide, descriptions[2]);
    }

    [Fact]
    public async Task Get_BusinessPage_DescriptionNamesTheBusiness()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.C}?lang=en");

        var description = page.QuerySelector("meta[name='description']")!.GetAttribute("content")!;
        Assert.Contains("Салон красоты «Ару»", description, StringComparison.Ordinal);
        Assert.Contains(PublicSiteFixture.C, description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task Get_Home_LinksItsAtomFeed_InTheSameLanguage(string language)
    {
        var page = await site.PageAsync("/", client: site.Client(language));

        var link = page.QuerySelector("link[rel='alternate'][type='application/atom+xml']")!;
        Assert.False(string.IsNullOrWhiteSpace(link.GetAttribute("title")));
        var feed = await site.Client().GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("application/atom+xml", feed.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"xml:lang=\"{language}\"", await feed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
