using System.Net;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class ListsTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static IReadOnlyList<string> Bins(AngleSharp.Dom.IDocument page) =>
        [.. page.AllByTestId("list-row").Select(r => r.GetAttribute("data-bin")!)];

    [Fact]
    public async Task Get_Leaders_ShowsTheLatestPublishedWeek()
    {
        var page = await site.PageAsync("/leaders");

        Assert.Equal([PublicSiteFixture.C, PublicSiteFixture.F], Bins(page).Order().ToArray());
        Assert.Contains("19–25", page.ByTestId("as-of").Text());
    }

    [Fact]
    public async Task Get_Leaders_WithWeek_ShowsThatWeek()
    {
        var page = await site.PageAsync("/leaders?week=2021-07-05");

        Assert.Equal([PublicSiteFixture.A], Bins(page));
    }

    [Theory]
    [InlineData("2021-08-02")]
    [InlineData("not-a-date")]
    public async Task Get_Leaders_ForAWeekNotPublished_Is404(string week)
    {
        var page = await site.PageAsync($"/leaders?week={week}", HttpStatusCode.NotFound);

        Assert.NotNull(page.ByTestId("week-not-found"));
        Assert.DoesNotContain("Отозванная", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Outsiders_ListsOutsidersOnly()
    {
        var page = await site.PageAsync("/outsiders?week=2021-07-05");

        Assert.Equal(new[] { PublicSiteFixture.B, PublicSiteFixture.E }.Order().ToArray(), Bins(page).Order().ToArray());
    }

    [Fact]
    public async Task Get_Leaders_SearchByName_IsCaseInsensitiveAndFindsKazakhLetters()
    {
        var page = await site.PageAsync("/leaders?week=2021-07-12&q=" + Uri.EscapeDataString("САЛОН"));
        var kazakh = await site.PageAsync("/outsiders?week=2021-07-05&q=" + Uri.EscapeDataString("жұлдыз"));

        Assert.Equal([PublicSiteFixture.C], Bins(page));
        Assert.Equal([PublicSiteFixture.E], Bins(kazakh));
    }

    [Fact]
    public async Task Get_Leaders_SearchByBinWithSpaces_FindsIt()
    {
        var spaced = PublicSiteFixture.C[..6] + " " + PublicSiteFixture.C[6..];

        var page = await site.PageAsync("/leaders?week=2021-07-12&q=" + Uri.EscapeDataString(spaced));

        Assert.Equal([PublicSiteFixture.C], Bins(page));
    }

    [Fact]
    public async Task Get_Leaders_FiltersByCategoryAndDistrict()
    {
        var byCategory = await site.PageAsync("/leaders?week=2021-07-12&category=beauty");
        var byDistrict = await site.PageAsync("/leaders?week=2021-07-12&district=almaly");

        Assert.Equal([PublicSiteFixture.C], Bins(byCategory));
        Assert.Equal(new[] { PublicSiteFixture.A, PublicSiteFixture.F }.Order().ToArray(), Bins(byDistrict).Order().ToArray());
    }

    [Fact]
    public async Task Get_Leaders_SortsByScans()
    {
        var page = await site.PageAsync("/leaders?week=2021-07-12&sort=scans");

        Assert.Equal([PublicSiteFixture.A, PublicSiteFixture.F, PublicSiteFixture.C], Bins(page));
    }

    [Fact]
    public async Task Get_Exclusions_ShowsReasonSourceAndReadmission()
    {
        var byFile = await site.PageAsync("/exclusions?week=2021-07-05");
        var byRule = await site.PageAsync("/exclusions?week=2021-07-12&lang=en");

        var fileRow = Assert.Single(byFile.AllByTestId("list-row"));
        Assert.Equal(PublicSiteFixture.D, fileRow.GetAttribute("data-bin"));
        Assert.Equal("Отказ от сканирования", fileRow.ByTestId("reason").Text());
        Assert.Equal("file", fileRow.ByTestId("source").GetAttribute("data-source"));
        Assert.Contains("12–18", fileRow.ByTestId("readmitted").Text());
        var ruleRow = Assert.Single(byRule.AllByTestId("list-row"));
        Assert.Equal(PublicSiteFixture.B, ruleRow.GetAttribute("data-bin"));
        Assert.Equal("Outsider 2 weeks in a row", ruleRow.ByTestId("reason").Text());
        Assert.Equal("rule", ruleRow.ByTestId("source").GetAttribute("data-source"));
    }

    [Fact]
    public async Task Get_Outsiders_NameWithHtml_IsShownAsText()
    {
        var response = await site.Client().GetStringAsync("/outsiders?week=2021-07-05");
        var page = await site.PageAsync("/outsiders?week=2021-07-05");

        Assert.DoesNotContain("<script>alert", response, StringComparison.Ordinal);
        Assert.Contains(page.AllByTestId("business-link"), a => a.TextContent == PublicSiteFixture.HtmlName);
        Assert.Empty(page.QuerySelectorAll("main script"));
    }

    [Fact]
    public async Task Get_Leaders_InKazakh_ShowsKazakhLabelsAndCategoryNames()
    {
        var page = await site.PageAsync("/leaders?week=2021-07-12&lang=kk");

        Assert.Equal("kk", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Ashyq көшбасшылары", page.ByTestId("list-title").Text());
        Assert.Contains("Сұлулық салондары мен шаштараздар", page.ByTestId("list-table").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Leaders_DownloadLinksKeepTheFilters()
    {
        var page = await site.PageAsync("/leaders?week=2021-07-12&category=beauty");

        Assert.Equal("/lists/leaders.csv?week=2021-07-12&category=beauty", page.ByTestId("download-csv").GetAttribute("href"));
    }

    [Fact]
    public async Task Get_Leaders_DraftWeekIsNotAmongTheWeeks()
    {
        var page = await site.PageAsync("/leaders");

        var weeks = page.QuerySelectorAll("#week option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["2021-07-19", "2021-07-12", "2021-07-05"], weeks);
    }

    [Fact]
    public async Task Get_Leaders_FilterFoldsAwayBehindASummaryOfWhatIsFiltered()
    {
        var plain = await site.PageAsync("/leaders?week=2021-07-12&lang=en");
        var filtered = await site.PageAsync("/leaders?week=2021-07-12&category=beauty&district=almaly&q=" + Uri.EscapeDataString("Ару") + "&sort=scans&lang=en");
        var kazakh = await site.PageAsync("/leaders?week=2021-07-12&lang=kk");

        var panel = filtered.ByTestId("filter-panel");
        Assert.Equal("details", panel.LocalName);
        Assert.False(panel.HasAttribute("open"));
        Assert.NotNull(panel.QuerySelector("form [name=category]"));
        Assert.Equal("Filter: 12–18 July 2021 · every category · every district", plain.ByTestId("filter-summary").Text());
        Assert.Equal("Filter: 12–18 July 2021 · «Ару» · Beauty salons and hairdressers · Almaly · Most scans first", filtered.ByTestId("filter-summary").Text());
        Assert.Equal("Сүзгі: 12–18 шілде 2021 · барлық қызмет түрлері · барлық аудандар", kazakh.ByTestId("filter-summary").Text());
    }

    [Theory]
    [InlineData("/leaders?week=2021-07-12")]
    [InlineData("/exclusions?week=2021-07-12")]
    public async Task Get_List_EachRowReadsNameFirstThenStatusThenCategoryDistrictAndScans(string url)
    {
        var page = await site.PageAsync(url + "&lang=en");

        var row = page.AllByTestId("list-row")[0];
        var cells = row.Children.ToList();
        Assert.Equal("th", cells[0].LocalName);
        Assert.NotNull(cells[0].QuerySelector("[data-testid=business-link]"));
        Assert.True(cells[1].QuerySelector("[data-testid=status]") is not null || cells[1].GetAttribute("data-testid") == "reason");
        var labels = cells.Skip(1).Select(c => c.GetAttribute("data-label")).Where(l => l is not null).ToList();
        Assert.Equal(["Category", "District", "Scans", "BIN/IIN"], labels.Where(l => l is "Category" or "District" or "Scans" or "BIN/IIN").ToList());
        var headers = page.QuerySelectorAll("[data-testid=list-table] thead th").Select(h => h.Text()).ToList();
        Assert.Equal(cells.Count, headers.Count);
        Assert.Equal("Name", headers[0]);
    }

    [Fact]
    public async Task Get_Participants_ListsEveryParticipantOfTheWeek_FiltersAndDownloadsLikeTheOtherLists()
    {
        var page = await site.PageAsync("/participants?week=2021-07-05&lang=en");
        var beauty = await site.PageAsync("/participants?week=2021-07-05&category=beauty&district=bostandyk");

        Assert.Equal("Project participants", page.ByTestId("list-title").Text());
        Assert.Equal(new[] { PublicSiteFixture.A, PublicSiteFixture.B, PublicSiteFixture.C, PublicSiteFixture.E }.Order().ToArray(), Bins(page).Order().ToArray());
        Assert.Equal([PublicSiteFixture.C], Bins(beauty));
        Assert.Equal("/lists/participants.csv?week=2021-07-05&category=beauty&district=bostandyk", beauty.ByTestId("download-csv").GetAttribute("href"));
    }
}
