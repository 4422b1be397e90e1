using System.Net.Http.Headers;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class HomeTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static string Value(AngleSharp.Dom.IDocument page, string figure) => page.ByTestId(figure).ByTestId("value").Text();

    [Fact]
    public async Task Get_Home_ShowsTheLatestPublishedWeekAtAGlance()
    {
        var page = await site.PageAsync("/?lang=en");

        Assert.Equal("4", Value(page, "figure-participants"));
        Assert.Equal("2", Value(page, "figure-leaders"));
        Assert.Equal("1", Value(page, "figure-outsiders"));
        Assert.Equal("0", Value(page, "figure-excluded"));
        Assert.Equal("4", Value(page, "figure-flagged"));
        Assert.Contains("19–25 July 2021", page.ByTestId("as-of").Text());
    }

    [Fact]
    public async Task Get_Home_ShowsTheChangeSinceTheWeekBefore()
    {
        var page = await site.PageAsync("/?lang=en");

        Assert.Equal("−1 on the week before", page.ByTestId("figure-excluded").ByTestId("change").Text());
        Assert.Equal("+1 on the week before", page.ByTestId("figure-outsiders").ByTestId("change").Text());
        Assert.Equal("0 on the week before", page.ByTestId("figure-participants").ByTestId("change").Text());
    }

    [Fact]
    public async Task Get_Home_ListsTopCategoriesAndLinksToEveryList()
    {
        var page = await site.PageAsync("/");

        var top = page.AllByTestId("top-category").Select(r => r.GetAttribute("data-code")).ToList();
        Assert.Equal("catering", top[0]);
        var links = page.ByTestId("list-links").QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/leaders?week=2021-07-19", links);
        Assert.Contains("/outsiders?week=2021-07-19", links);
        Assert.Contains("/exclusions?week=2021-07-19", links);
    }

    [Fact]
    public async Task Get_Home_InRussianByDefault()
    {
        var page = await site.PageAsync("/");

        Assert.Equal("ru", page.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Неделя в цифрах", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Home_WritesCyrillicAndKazakhLettersAsThemselves()
    {
        var html = await site.Client().GetStringAsync("/?lang=kk");

        Assert.Contains("Апта сандармен", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x4", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Home_LanguageFromQueryCookieOrAcceptLanguage()
    {
        var byQuery = await site.PageAsync("/?lang=kk");
        var byCookie = await site.PageAsync("/", client: site.Client("en"));
        var client = site.Client();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("kk-KZ"));
        var byHeader = await site.PageAsync("/", client: client);

        Assert.Equal("kk", byQuery.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Апта сандармен", byQuery.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("en", byCookie.DocumentElement.GetAttribute("lang"));
        Assert.Contains("The week in figures", byCookie.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("kk", byHeader.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task Get_Home_EachCountLinksToTheListItCounts()
    {
        var page = await site.PageAsync("/?lang=en");

        string? Link(string figure) => page.ByTestId(figure).QuerySelector("a")?.GetAttribute("href");
        Assert.Equal("/participants?week=2021-07-19", Link("figure-participants"));
        Assert.Equal("/leaders?week=2021-07-19", Link("figure-leaders"));
        Assert.Equal("/outsiders?week=2021-07-19", Link("figure-outsiders"));
        Assert.Equal("/exclusions?week=2021-07-19", Link("figure-excluded"));
        var catering = page.AllByTestId("top-category").First(r => r.GetAttribute("data-code") == "catering");
        Assert.Equal("/participants?week=2021-07-19&category=catering", catering.ByTestId("participants").QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/leaders?week=2021-07-19&category=catering", catering.ByTestId("leaders").QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/outsiders?week=2021-07-19&category=catering", catering.ByTestId("outsiders").QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("/participants?week=2021-07-19", page.ByTestId("list-links").QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }
}

public sealed class EmptyRegistryTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/")]
    [InlineData("/leaders")]
    [InlineData("/exclusions")]
    [InlineData("/statistics")]
    [InlineData("/changes")]
    public async Task Get_PublicPage_WithNothingPublished_IsAFriendlyPage(string url)
    {
        var html = await factory.CreateClient().GetStringAsync(url);

        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.NotNull(page.ByTestId("nothing-published"));
    }

    [Fact]
    public async Task Get_Home_WithOnlyADraft_ShowsNothingOfIt()
    {
        await factory.ImportAsync(new Testing.ExportBuilder().Row(Testing.ExportBuilder.BinFor(1), "лидер", "Секретное кафе").ToBytes(), "2021-07-12", publish: false);

        var html = await factory.CreateClient().GetStringAsync("/");

        Assert.DoesNotContain("Секретное", html, StringComparison.Ordinal);
        Assert.Contains("nothing-published", html, StringComparison.Ordinal);
    }
}
