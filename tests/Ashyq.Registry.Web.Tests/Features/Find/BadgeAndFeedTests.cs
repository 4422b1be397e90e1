using System.Net;
using System.Xml.Linq;
using static Ashyq.Registry.Web.Tests.Features.Find.FindSiteFixture;

namespace Ashyq.Registry.Web.Tests.Features.Find;

public sealed class BadgeTests(FindSiteFixture site) : IClassFixture<FindSiteFixture>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private async Task<(HttpResponseMessage Response, XDocument Svg)> BadgeAsync(string url, string? language = null)
    {
        var response = await site.Client(language).GetAsync(url);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Svg + "svg", svg.Root!.Name);
        return (response, svg);
    }

    private static string Words(XDocument svg) => string.Join(" | ", svg.Root!.Descendants(Svg + "text").Select(t => t.Value));

    [Theory]
    [InlineData("ru", "Лидер · 19.07.2021")]
    [InlineData("kk", "Көшбасшы · 19.07.2021")]
    [InlineData("en", "Leader · 19/07/2021")]
    public async Task Badge_OfALeader_SaysTheWeekItShows(string language, string expected)
    {
        var (response, svg) = await BadgeAsync($"/business/{Pharmacy}/badge.svg", language);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, Words(svg), StringComparison.Ordinal);
        Assert.Equal("current", svg.Root!.Attribute("data-state")!.Value);
    }

    [Theory]
    [InlineData("ru", "на 12.07.2021 · нет в последней неделе")]
    [InlineData("en", "as of 12/07/2021 · not in the latest week")]
    public async Task Badge_OfABusinessTheLatestWeekDoesNotList_IsGreyAndSaysSo(string language, string expected)
    {
        var (_, current) = await BadgeAsync($"/business/{Pharmacy}/badge.svg", language);
        var (response, svg) = await BadgeAsync($"/business/{Stale}/badge.svg", language);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, Words(svg), StringComparison.Ordinal);
        Assert.Equal("stale", svg.Root!.Attribute("data-state")!.Value);
        var fills = svg.Root.Elements(Svg + "rect").Select(r => r.Attribute("fill")!.Value).ToList();
        Assert.NotEqual(current.Root!.Elements(Svg + "rect").Last().Attribute("fill")!.Value, fills[^1]);
    }

    [Theory]
    [InlineData("/business/1/badge.svg", HttpStatusCode.BadRequest, "это не БИН")]
    [InlineData("/business/%3Cscript%3E/badge.svg", HttpStatusCode.BadRequest, "это не БИН")]
    public async Task Badge_OfAMalformedNumber_IsAnImageThatSaysSo(string url, HttpStatusCode status, string expected)
    {
        var (response, svg) = await BadgeAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, Words(svg), StringComparison.Ordinal);
        Assert.Equal("none", svg.Root!.Attribute("data-state")!.Value);
    }

    [Theory]
    [InlineData("ru", "предприятие не найдено")]
    [InlineData("kk", "кәсіпорын табылмады")]
    [InlineData("en", "no such business listed")]
    public async Task Badge_OfAnUnknownBusiness_Is404AndAnImageThatSaysSo(string language, string expected)
    {
        var (response, svg) = await BadgeAsync($"/business/{Testing.ExportBuilder.BinFor(999)}/badge.svg", language);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(expected, Words(svg), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Badge_OfAHostileName_KeepsTheNameAsText()
    {
        var response = await site.Client().GetAsync($"/business/{Hostile}/badge.svg");
        var text = await response.Content.ReadAsStringAsync();

        var svg = XDocument.Parse(text);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "b");
        Assert.Contains(HostileName, svg.Root!.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Badge_AnswersIfModifiedSince()
    {
        var url = $"/business/{Pharmacy}/badge.svg";
        var first = await site.Client().GetAsync(url);
        var since = new HttpRequestMessage(HttpMethod.Get, url);
        since.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        var again = await site.Client().SendAsync(since);

        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task BusinessPage_BadgeCode_DescribesTheStatusInItsAltText()
    {
        var page = await site.PageAsync($"/business/{Pharmacy}");

        var code = page.ByTestId("badge-code").TextContent;
        Assert.Contains($"/business/{Pharmacy}/badge.svg\" alt=\"Аптека «Шипагер» в реестре Ashyq: Лидер · 19.07.2021\"", code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusinessPage_BadgeCode_OfAStaleBusiness_SaysItIsNotInTheLatestWeek()
    {
        var page = await site.PageAsync($"/business/{Stale}", "en");

        Assert.Contains("alt=\"Кофейня «Старая» in the Ashyq Registry: Leader as of 12/07/2021 · not in the latest week\"",
            page.ByTestId("badge-code").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusinessPage_BadgeCode_OfAHostileName_IsEscapedForTheAttribute()
    {
        var page = await site.PageAsync($"/business/{Hostile}");

        var code = page.ByTestId("badge-code");
        Assert.Empty(code.QuerySelectorAll("script, b"));
        Assert.Contains("alt=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Кафе&quot;", code.TextContent, StringComparison.Ordinal);
    }
}

public sealed class FeedLanguageTests(FindSiteFixture site) : IClassFixture<FindSiteFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static TheoryData<string> Feeds() =>
    [
        "/feed.atom",
        $"/business/{Pharmacy}/feed.atom",
        "/category/catering/feed.atom",
        "/district/almaly/feed.atom",
    ];

    private async Task<XDocument> FeedAsync(string url, string? language = null)
    {
        var response = await site.Client(language).GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string SelfOf(XDocument feed) =>
        feed.Root!.Elements(Atom + "link").Single(l => l.Attribute("rel")!.Value == "self").Attribute("href")!.Value;

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task Feed_InEachLanguage_HasItsOwnIdAndSelfLink(string url)
    {
        var ru = await FeedAsync(url);
        var kk = await FeedAsync(url + "?lang=kk");
        var en = await FeedAsync(url + "?lang=en");
        var ruAsked = await FeedAsync(url + "?lang=ru");

        var ids = new[] { ru, kk, en }.Select(f => f.Root!.Element(Atom + "id")!.Value).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.EndsWith(url, ids[0], StringComparison.Ordinal);
        Assert.EndsWith(url + "?lang=kk", ids[1], StringComparison.Ordinal);
        Assert.EndsWith(url + "?lang=en", ids[2], StringComparison.Ordinal);
        Assert.Equal([ids[0], ids[1], ids[2]], new[] { ru, kk, en }.Select(SelfOf));
        Assert.Equal(ids[0], ruAsked.Root!.Element(Atom + "id")!.Value);
        Assert.Equal(["ru", "kk", "en"], new[] { ru, kk, en }.Select(f => f.Root!.Attribute(XNamespace.Xml + "lang")!.Value));
        var entryIds = new[] { ru, kk, en }.Select(f => f.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToHashSet()).ToList();
        Assert.NotEmpty(entryIds[0]);
        Assert.Empty(entryIds[0].Intersect(entryIds[1]));
        Assert.Empty(entryIds[1].Intersect(entryIds[2]));
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task Feed_FollowsTheCookiesLanguage_WithThatLanguagesId(string url)
    {
        var feed = await FeedAsync(url, "en");

        Assert.EndsWith(url + "?lang=en", feed.Root!.Element(Atom + "id")!.Value, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task Feed_EntryTitles_NameTheWeek(string url)
    {
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            var feed = await FeedAsync(url + "?lang=" + language);
            var titles = feed.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
            Assert.NotEmpty(titles);
            Assert.All(titles, t => Assert.Contains("2021", t, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("ru", "Палата предпринимателей г. Алматы, Реестр Ashyq")]
    [InlineData("kk", "Алматы қаласының Кәсіпкерлер палатасы, Ashyq тізілімі")]
    [InlineData("en", "Almaty Chamber of Entrepreneurs, Ashyq Registry")]
    public async Task Feed_IsWrittenByTheChamber_InTheFeedsLanguage(string language, string author)
    {
        foreach (var url in Feeds())
        {
            var feed = await FeedAsync(url + "?lang=" + language);
            Assert.Equal(author, feed.Root!.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task Feed_InAnotherLanguage_RevalidatesTo304ByETagAndBySince(string url)
    {
        var address = url + "?lang=kk";
        var first = await site.Client().GetAsync(address);
        var byTag = new HttpRequestMessage(HttpMethod.Get, address);
        byTag.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var bySince = new HttpRequestMessage(HttpMethod.Get, address);
        bySince.Headers.IfModifiedSince = first.Content.Headers.LastModified;

        var tagged = await site.Client().SendAsync(byTag);
        var since = await site.Client().SendAsync(bySince);

        Assert.DoesNotContain(first.Headers.GetValues("Cache-Control"), v => v.Contains("no-", StringComparison.Ordinal));
        Assert.False(first.Headers.Contains("Set-Cookie"));
        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, tagged.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, since.StatusCode);
    }
}
