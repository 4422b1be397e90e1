using System.Globalization;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class PagingTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await factory.ResetAsync();
        var file = new ExportBuilder();
        for (var i = 1; i <= 60; i++)
            file.Row(ExportBuilder.BinFor(i), "лидер", $"Кафе {i.ToString("D3", CultureInfo.InvariantCulture)}", scans: i);
        await factory.ImportAsync(file.ToBytes(), "2021-07-12");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Leaders_PagesByFifty()
    {
        var client = factory.CreateClient();

        var first = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders"));
        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders?page=2"));

        Assert.Equal(50, first.AllByTestId("list-row").Count);
        Assert.Equal("60", first.ByTestId("result-count").GetAttribute("data-total"));
        Assert.Equal("/leaders?week=2021-07-12&page=2", first.ByTestId("page-next").GetAttribute("href"));
        var rest = second.AllByTestId("list-row");
        Assert.Equal(10, rest.Count);
        Assert.Equal("Кафе 051", rest[0].ByTestId("business-link").TextContent);
        Assert.NotNull(second.ByTestId("page-prev"));
    }

    [Fact]
    public async Task Get_Leaders_PastTheLastPage_SaysSoAndLinksToTheLastPage()
    {
        var client = factory.CreateClient();

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders?page=999&lang=en"));
        var search = new HtmlParser().ParseDocument(await client.GetStringAsync("/search?q=" + Uri.EscapeDataString("Кафе") + "&page=999&lang=en"));

        Assert.Equal("This list has no page 999: it has 2. The last page (2)", page.ByTestId("page-past-end").Text());
        Assert.Equal("/leaders?week=2021-07-12&page=2", page.ByTestId("page-past-end").ByTestId("page-last").GetAttribute("href"));
        Assert.Empty(page.AllByTestId("list-empty"));
        Assert.Empty(page.AllByTestId("list-row"));
        Assert.Equal("/search?q=%D0%9A%D0%B0%D1%84%D0%B5&page=2", search.ByTestId("page-past-end").ByTestId("page-last").GetAttribute("href"));
        Assert.Empty(search.AllByTestId("search-empty"));
    }

    [Fact]
    public async Task Get_Leaders_PagerOffersFirstPreviousNumbersNextAndLast()
    {
        var client = factory.CreateClient();

        var first = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders?lang=en"));
        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders?page=2&lang=en"));

        Assert.Equal(["/leaders?week=2021-07-12", "/leaders?week=2021-07-12&page=2"], first.AllByTestId("page-number").Select(a => a.GetAttribute("href")));
        Assert.Equal("page", first.AllByTestId("page-number")[0].GetAttribute("aria-current"));
        Assert.Equal("/leaders?week=2021-07-12&page=2", first.ByTestId("page-last").GetAttribute("href"));
        Assert.Empty(first.AllByTestId("page-first"));
        Assert.Equal("/leaders?week=2021-07-12", second.ByTestId("page-first").GetAttribute("href"));
        Assert.Equal("/leaders?week=2021-07-12", second.ByTestId("page-prev").GetAttribute("href"));
        Assert.Equal("page", second.AllByTestId("page-number")[1].GetAttribute("aria-current"));
        Assert.Empty(second.AllByTestId("page-next"));
        Assert.Equal("page 2 of 2", second.ByTestId("pager").QuerySelector(".pager-where")!.Text());
    }

    [Theory]
    [InlineData(1, 1, new[] { 1 })]
    [InlineData(1, 9, new[] { 1, 2, 3, 0, 9 })]
    [InlineData(5, 9, new[] { 1, 0, 3, 4, 5, 6, 7, 0, 9 })]
    [InlineData(9, 9, new[] { 1, 0, 7, 8, 9 })]
    [InlineData(4, 7, new[] { 1, 2, 3, 4, 5, 6, 7 })]
    public void Pager_OffersTheFirstTheLastAndTwoEitherSideOfTheCurrentPage(int page, int count, int[] expected)
    {
        Assert.Equal(expected, new Ashyq.Registry.Web.Features.Shared.PagerModel(page, count, n => "").Numbers());
    }

    [Fact]
    public async Task Get_Changes_ShowsEachGroupsCountAndFirstRows_ThenTheGroupPageByPage()
    {
        var client = factory.CreateClient();

        var overview = new HtmlParser().ParseDocument(await client.GetStringAsync("/changes?lang=en"));
        var first = new HtmlParser().ParseDocument(await client.GetStringAsync("/changes?section=leaders&lang=en"));
        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/changes?section=leaders&page=2&lang=en"));
        var past = new HtmlParser().ParseDocument(await client.GetStringAsync("/changes?section=leaders&page=9&lang=en"));

        Assert.Equal("60", overview.ByTestId("count-leaders").Text());
        Assert.Equal(10, overview.ByTestId("section-leaders").AllByTestId("change-row").Count);
        Assert.Equal("/changes?week=2021-07-12&section=leaders", overview.ByTestId("section-link").GetAttribute("href"));
        Assert.Equal(50, first.AllByTestId("change-row").Count);
        Assert.Equal("/changes?week=2021-07-12&section=leaders&page=2", first.ByTestId("page-next").GetAttribute("href"));
        Assert.Empty(first.AllByTestId("section-outsiders"));
        Assert.Equal(10, second.AllByTestId("change-row").Count);
        Assert.Equal("Кафе 051", second.AllByTestId("change-row")[0].QuerySelector("a")!.TextContent);
        Assert.Equal("/changes?week=2021-07-12&section=leaders&page=2", past.ByTestId("page-past-end").ByTestId("page-last").GetAttribute("href"));
    }

    [Fact]
    public async Task Download_Csv_HasEveryRowNotJustAPage()
    {
        var csv = await factory.CreateClient().GetStringAsync("/lists/leaders.csv");

        Assert.Equal(61, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task GetApi_List_CapsThePageSize()
    {
        var json = await factory.CreateClient().GetStringAsync("/api/v1/lists/leaders?pageSize=100000&sort=scans");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(500, root.GetProperty("pageSize").GetInt32());
        Assert.Equal(60, root.GetProperty("items").GetArrayLength());
        Assert.Equal(60, root.GetProperty("items")[0].GetProperty("scans").GetInt32());
    }
}
