using System.Net;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class ChangesTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static List<string> Bins(AngleSharp.Dom.IDocument page, string section) =>
        [.. page.ByTestId("section-" + section).AllByTestId("change-row").Select(r => r.GetAttribute("data-bin")!).Order()];

    [Fact]
    public async Task Get_Changes_ListsWhatTheWeekChangedAgainstTheOneBefore()
    {
        var page = await site.PageAsync("/changes?week=2021-07-12");

        Assert.Equal(new[] { PublicSiteFixture.C, PublicSiteFixture.F }.Order(), Bins(page, "leaders"));
        Assert.Empty(Bins(page, "outsiders"));
        Assert.Equal([PublicSiteFixture.B], Bins(page, "excluded-rule"));
        Assert.Empty(Bins(page, "excluded-file"));
        Assert.Equal([PublicSiteFixture.D], Bins(page, "readmitted"));
        Assert.Equal([PublicSiteFixture.F], Bins(page, "newcomers"));
        Assert.Equal([PublicSiteFixture.E], Bins(page, "departures"));
        Assert.Equal("1", page.ByTestId("count-excluded-rule").Text());
        Assert.Contains("5–11", page.ByTestId("compared-with").Text());
    }

    [Fact]
    public async Task Get_Changes_DefaultsToTheLatestWeekAndSkipsTheWithdrawnOne()
    {
        var page = await site.PageAsync("/changes");

        Assert.Equal([PublicSiteFixture.A], Bins(page, "outsiders"));
        Assert.Equal([PublicSiteFixture.B], Bins(page, "departures"));
        Assert.Contains("19–25", page.ByTestId("as-of").Text());
    }

    [Fact]
    public async Task Get_Changes_FirstWeek_HasNothingToCompare()
    {
        var page = await site.PageAsync("/changes?week=2021-07-05");

        Assert.NotNull(page.ByTestId("first-week"));
        Assert.Equal([PublicSiteFixture.D], Bins(page, "excluded-file"));
        Assert.Empty(Bins(page, "departures"));
    }

    [Fact]
    public async Task Get_Changes_ForAWithdrawnWeek_IsGone()
    {
        await site.PageAsync("/changes?week=2021-07-26", HttpStatusCode.Gone);
    }
}

public sealed class StatisticsTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Fact]
    public async Task Get_Statistics_CountsParticipantsByCategoryAndDistrict()
    {
        var page = await site.PageAsync("/statistics?week=2021-07-12");

        var categories = page.ByTestId("table-category").AllByTestId("row-category")
            .ToDictionary(r => r.GetAttribute("data-code")!, r => r.GetAttribute("data-participants"));
        Assert.Equal("2", categories["catering"]);
        Assert.Equal("1", categories["beauty"]);
        Assert.Equal("1", categories["markets"]);
        var districts = page.ByTestId("table-district").AllByTestId("row-district")
            .ToDictionary(r => r.GetAttribute("data-code")!, r => r.GetAttribute("data-participants"));
        Assert.Equal("2", districts["almaly"]);
        Assert.Equal("0", districts["medeu"]);
    }

    [Theory]
    [InlineData("ru", "Участники", "Аутсайдеры", "Лидеры")]
    [InlineData("kk", "Қатысушылар", "Аутсайдерлер", "Көшбасшылар")]
    [InlineData("en", "Participants", "Outsiders", "Leaders")]
    public async Task Get_Statistics_ChartsReadWithoutColour_LabelsAreText_TheLineChartHasAValuedAxisAndThreeSeries(
        string language, string participants, string outsiders, string leaders)
    {
        var page = await site.PageAsync($"/statistics?lang={language}");

        var bars = page.ByTestId("chart-category").AllByTestId("bar");
        Assert.All(bars, bar => Assert.Null(bar.QuerySelector("text")));
        Assert.Contains(bars, bar => bar.QuerySelector(".bar-value")!.Text() == "2");
        var lines = page.ByTestId("chart-over-time");
        Assert.Equal(["participants", "outsiders", "leaders"], lines.AllByTestId("series").Select(s => s.GetAttribute("data-series")));
        // Each series has its own marker shape, not only its own colour.
        Assert.Equal(3, lines.QuerySelectorAll("[data-series=participants] circle").Length);
        Assert.Equal(3, lines.QuerySelectorAll("[data-series=outsiders] rect").Length);
        Assert.Equal(3, lines.QuerySelectorAll("[data-series=leaders] polygon").Length);
        Assert.Equal(["0", "1", "2", "3", "4"], lines.AllByTestId("y-tick").Select(t => t.Text()));
        Assert.Equal([participants, outsiders, leaders], lines.ByTestId("chart-legend").QuerySelectorAll("li").Select(li => li.Text()));
    }

    [Fact]
    public async Task Get_Statistics_WeekByCategoryTable_NamesTheCategoryBesideEachFigure_ForAPhone()
    {
        var page = await site.PageAsync("/statistics?lang=en");

        var table = page.ByTestId("table-category-over-time");
        var cells = table.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td");
        Assert.Contains("stack-table", table.ClassList);
        Assert.Equal(table.QuerySelectorAll("thead th.num").Select(th => th.Text()), cells.Select(td => td.GetAttribute("data-label")));
        Assert.Contains("stack-table", page.ByTestId("table-district-over-time").ClassList);
        Assert.Contains("stack-table", page.ByTestId("table-over-time").ClassList);
    }

    [Fact]
    public async Task Get_Statistics_HasAChartForEachTableAndEveryPublishedWeekOverTime()
    {
        var page = await site.PageAsync("/statistics?lang=kk");

        Assert.Equal(page.AllByTestId("row-category").Count, page.ByTestId("chart-category").AllByTestId("bar").Count);
        Assert.NotNull(page.ByTestId("chart-district").QuerySelector("svg rect"));
        Assert.Equal(3, page.ByTestId("chart-over-time").QuerySelectorAll("[data-series=participants] circle").Length);
        var weeks = page.AllByTestId("row-week").Select(r => r.GetAttribute("data-week")).ToList();
        Assert.Equal(["2021-07-05", "2021-07-12", "2021-07-19"], weeks);
        Assert.Contains("Қоғамдық тамақтану", page.ByTestId("table-category").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Statistics_TablesHaveCaptionsAndHeaderScopes()
    {
        var page = await site.PageAsync("/statistics");

        var tables = page.QuerySelectorAll("main table");
        Assert.Equal(5, tables.Length);
        foreach (var table in tables)
        {
            Assert.NotEmpty(table.QuerySelectorAll("th"));
            Assert.NotNull(table.QuerySelector("caption"));
            Assert.All(table.QuerySelectorAll("th"), th => Assert.True(th.HasAttribute("scope")));
        }
    }

    [Fact]
    public async Task Get_Statistics_ForADraftWeek_Is404()
    {
        await site.PageAsync("/statistics?week=2021-08-02", HttpStatusCode.NotFound);
    }
}

public sealed class FeedTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Fact]
    public async Task Get_Changes_OneGroupPageByPage_KeepsEveryGroupsCount()
    {
        var overview = await site.PageAsync("/changes?week=2021-07-12&lang=en");
        var newcomers = await site.PageAsync("/changes?week=2021-07-12&section=newcomers&lang=en");

        var kinds = overview.ByTestId("change-summary").QuerySelectorAll("[data-testid^=count-]").Select(c => c.GetAttribute("data-testid")!).ToList();
        Assert.Equal(7, kinds.Count);
        Assert.All(kinds, kind => Assert.Equal(overview.ByTestId(kind).Text(), newcomers.ByTestId(kind).Text()));
        Assert.Contains(kinds, kind => kind != "count-newcomers" && overview.ByTestId(kind).Text() != "0");
        Assert.Single(newcomers.QuerySelectorAll("section[data-testid^=section-]"));
    }

    private static readonly System.Xml.Linq.XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task Get_Feed_HasAnEntryPerPublishedWeek_ThenOnePerWithdrawnWeek()
    {
        var response = await site.Client().GetAsync("/feed.atom?lang=en");

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = feed.Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(4, entries.Count);
        Assert.Equal(3, entries.Count(e => e.Element(Atom + "title")!.Value.StartsWith("Lists published", StringComparison.Ordinal)));
        Assert.StartsWith("Lists withdrawn", entries[3].Element(Atom + "title")!.Value, StringComparison.Ordinal);
        Assert.Contains("19–25 July 2021", entries[0].Element(Atom + "title")!.Value, StringComparison.Ordinal);
        Assert.Contains("leaders: 2", entries[0].Element(Atom + "summary")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_BusinessFeed_HasAnEntryPerStatusChange()
    {
        var xml = await site.Client().GetStringAsync($"/business/{PublicSiteFixture.D}/feed.atom?lang=en");

        var entries = System.Xml.Linq.XDocument.Parse(xml).Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains("Readmitted", entries[0].Element(Atom + "summary")!.Value, StringComparison.Ordinal);
        Assert.Contains("Excluded", entries[1].Element(Atom + "summary")!.Value, StringComparison.Ordinal);
        Assert.Contains("Отказ от сканирования", entries[1].Element(Atom + "summary")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_BusinessFeed_UnknownIs404_MalformedIs400()
    {
        var unknown = await site.Client().GetAsync($"/business/{Testing.ExportBuilder.BinFor(999)}/feed.atom");
        var malformed = await site.Client().GetAsync("/business/12/feed.atom");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}

public sealed class AboutTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Theory]
    [InlineData("ru", "О реестре")]
    [InlineData("kk", "Тізілім туралы")]
    [InlineData("en", "About the registry")]
    public async Task Get_About_InEachLanguage(string language, string title)
    {
        var page = await site.PageAsync($"/about?lang={language}");

        Assert.Equal(title, page.QuerySelector("h1")!.Text());
        Assert.Contains(";", page.ByTestId("about-downloads").TextContent, StringComparison.Ordinal);
        Assert.Contains("2", page.ByTestId("about-rules").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/leaders", true)]
    [InlineData("/outsiders", true)]
    [InlineData("/exclusions", true)]
    [InlineData("/statistics", true)]
    [InlineData("/changes", true)]
    [InlineData("/search?q=кафе", true)]
    [InlineData("/about", false)]
    public async Task Get_PublicPage_HasNoInlineScriptOrStyleAndLabelsEveryField(string url, bool hasFields)
    {
        var page = await site.PageAsync(url);

        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Empty(page.QuerySelectorAll("[style], style"));
        var fields = page.QuerySelectorAll("input:not([type=hidden]), select");
        Assert.True(hasFields == fields.Length > 0, $"{url}: {fields.Length} fields");
        foreach (var field in fields)
            Assert.NotNull(page.QuerySelector($"label[for='{field.Id}']"));
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#main']"));
    }
}
