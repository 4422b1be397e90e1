namespace Ashyq.Registry.Web.Tests.Features;

public sealed class SearchTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static List<string> Bins(AngleSharp.Dom.IDocument page) =>
        [.. page.AllByTestId("search-hit").Select(h => h.GetAttribute("data-bin")!)];

    [Fact]
    public async Task Search_ByBinWithSpaces_FindsExactlyThatBusiness()
    {
        var spaced = $"{PublicSiteFixture.A[..3]} {PublicSiteFixture.A[3..6]} {PublicSiteFixture.A[6..]}";

        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString(spaced));

        Assert.Equal([PublicSiteFixture.A], Bins(page));
    }

    [Fact]
    public async Task Search_ByNameFragment_IsCaseInsensitive()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("БЕРЕКЕ"));

        Assert.Equal([PublicSiteFixture.D], Bins(page));
        Assert.Equal("participant", page.ByTestId("search-hit").ByTestId("status").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Search_WithATypo_StillFindsTheBusiness()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Достр"));

        Assert.Contains(PublicSiteFixture.A, Bins(page));
    }

    [Fact]
    public async Task Search_KazakhLetters_AreMatched()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("ЖҰЛДЫЗ"));

        Assert.Equal([PublicSiteFixture.E], Bins(page));
    }

    [Fact]
    public async Task Search_RanksAnExactNameAboveContainingIt()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("кафе"));

        var bins = Bins(page);
        Assert.Equal(PublicSiteFixture.A, bins[0]);
        Assert.Contains(PublicSiteFixture.F, bins);
    }

    [Fact]
    public async Task Search_NeverFindsDraftOrWithdrawnBusinesses()
    {
        var draft = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Черновик"));
        var withdrawn = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Отозванная"));

        Assert.Empty(Bins(draft));
        Assert.Empty(Bins(withdrawn));
        Assert.NotNull(draft.ByTestId("search-empty"));
    }

    [Fact]
    public async Task Search_BusinessMissingFromLatestWeek_SaysWhenItWasLastListed()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Бота"));

        var hit = Assert.Single(page.AllByTestId("search-hit"));
        Assert.Contains("12–18 июля 2021", hit.ByTestId("not-in-latest").Text());
        // Its status is the one that week gave it: an outsider a second week in a row, so excluded.
        Assert.Equal("excluded", hit.ByTestId("status").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Search_ShowsEachBusinessWithItsStatusInTheNewestPublishedWeek()
    {
        // A led the first two weeks and is an outsider in the latest one; the withdrawn and draft weeks list others.
        var byName = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Достар"));
        var byNumber = await site.PageAsync("/search?q=" + PublicSiteFixture.A);

        foreach (var page in new[] { byName, byNumber })
        {
            var hit = Assert.Single(page.AllByTestId("search-hit"), h => h.GetAttribute("data-bin") == PublicSiteFixture.A);
            Assert.Equal("outsider", hit.ByTestId("status").GetAttribute("data-status"));
            Assert.Empty(hit.AllByTestId("not-in-latest"));
        }
    }
}
