using System.Net;
using System.Text.Json;

namespace Ashyq.Registry.Web.Tests.Features.Citation;

/// <summary>A business's week at its own address: as published, citable, and the addresses around it answered as the site answers elsewhere.</summary>
public sealed class BusinessWeekTests(CitationSiteFixture site) : IClassFixture<CitationSiteFixture>
{
    private static readonly string L = CitationSiteFixture.L;

    [Theory]
    [InlineData("2021-07-05")]
    [InlineData("2021-07-12")]
    public async Task Permalink_ShowsTheStatusTheApiGivesForThatWeek(string week)
    {
        using var api = JsonDocument.Parse(await site.Client().GetStringAsync($"/api/v1/businesses/{L}"));
        var expected = api.RootElement.GetProperty("history").EnumerateArray()
            .Single(w => w.GetProperty("week").GetString() == week).GetProperty("status").GetString();

        var page = await site.PageAsync($"/business/{L}/{week}");

        Assert.Equal(expected, page.ByTestId("week-status").GetAttribute("data-status"));
        Assert.Contains("Кафе «Дастархан»", page.ByTestId("business-name").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Permalink_CiteBlock_HoldsTheUrlAndWhenTheWeekWasPublished()
    {
        var published = await site.PublishedAtAsync("2021-07-05");

        var page = await site.PageAsync($"/business/{L}/2021-07-05?lang=en");

        var url = page.ByTestId("cite-url").GetAttribute("href")!;
        Assert.EndsWith($"/business/{L}/2021-07-05", url, StringComparison.Ordinal);
        Assert.StartsWith("http", url, StringComparison.Ordinal);
        var time = page.ByTestId("cite-published").QuerySelector("time")!;
        Assert.Equal(published, DateTimeOffset.Parse(time.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("(UTC", time.TextContent, StringComparison.Ordinal);
        var citation = page.ByTestId("citation").TextContent;
        Assert.Contains(url, citation, StringComparison.Ordinal);
        Assert.Contains(time.TextContent, citation, StringComparison.Ordinal);
        Assert.Contains("Ashyq Registry", citation, StringComparison.Ordinal);
        Assert.Contains("retrieved on", citation, StringComparison.Ordinal);
        Assert.Contains(page.ByTestId("cite-retrieved").Text(), citation, StringComparison.Ordinal);
        Assert.Equal("Cite this", page.QuerySelector("#cite-heading")!.Text());
    }

    [Theory]
    [InlineData("ru", "Как сослаться")]
    [InlineData("kk", "Қалай сілтеме жасау керек")]
    [InlineData("en", "Cite this")]
    public async Task Permalink_SpeaksThePagesLanguage(string language, string heading)
    {
        var page = await site.PageAsync($"/business/{L}/2021-07-05?lang={language}");

        Assert.Equal(heading, page.QuerySelector("#cite-heading")!.Text());
    }

    [Fact]
    public async Task ADayInsideTheWeek_MovesPermanentlyToItsMonday()
    {
        var response = await site.Client().GetAsync($"/business/{L}/2021-07-07");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"/business/{L}/2021-07-05", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AFullIin_MovesToThePublicIdentifiersWeek_WhichNeverShowsTheIin()
    {
        var response = await site.Client().GetAsync($"/business/{CitationSiteFixture.I}/2021-07-08");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/business/ie-[0-9a-f]{16}/2021-07-05$", location);
        var page = await site.PageAsync(location);
        Assert.DoesNotContain(CitationSiteFixture.I, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Equal("********" + CitationSiteFixture.I[^4..], page.ByTestId("bin").FirstChild!.TextContent.Trim());
        Assert.Contains(location, page.ByTestId("citation").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWeekNotListingTheBusiness_Is404_SayingSo_AndLinksTheBusinessPage()
    {
        var page = await site.PageAsync($"/business/{CitationSiteFixture.O}/2021-07-12?lang=en", HttpStatusCode.NotFound);

        Assert.Contains("Столовая «Нан»", page.ByTestId("business-week-not-listed").Text(), StringComparison.Ordinal);
        Assert.Equal($"/business/{CitationSiteFixture.O}", page.ByTestId("business-link").GetAttribute("href"));
    }

    [Fact]
    public async Task AWithdrawnWeek_IsGone_WithTheReason()
    {
        var page = await site.PageAsync($"/business/{L}/2021-07-19", HttpStatusCode.Gone);

        Assert.Equal("файл за другую неделю", page.ByTestId("withdrawal-reason").Text());
        Assert.Equal($"/business/{L}", page.ByTestId("business-link").GetAttribute("href"));
    }

    [Theory]
    [InlineData("2021-13-45")]
    [InlineData("yesterday")]
    [InlineData("05.07.2021")]
    public async Task AMalformedDate_Is400(string week)
    {
        var page = await site.PageAsync($"/business/{L}/{Uri.EscapeDataString(week)}", HttpStatusCode.BadRequest);

        Assert.Contains(week, page.ByTestId("business-week-malformed").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMarkupDate_IsShownAsText_AndCutShort()
    {
        var week = "<script>alert(1)</script>" + new string('9', 3000);

        var response = await site.Client().GetAsync($"/business/{L}/{Uri.EscapeDataString(week)}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        var said = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).ByTestId("business-week-malformed").Text();
        Assert.Contains("<script>alert(1)", said, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 100), said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BusinessPage_LinksEachListedWeekToItsPermalink()
    {
        var page = await site.PageAsync($"/business/{L}");

        var links = page.AllByTestId("week-link").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/business/{L}/2021-07-05", links);
        Assert.Contains($"/business/{L}/2021-07-12", links);
    }
}
