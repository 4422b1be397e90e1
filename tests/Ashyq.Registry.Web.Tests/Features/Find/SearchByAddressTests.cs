using static Ashyq.Registry.Web.Tests.Features.Find.FindSiteFixture;

namespace Ashyq.Registry.Web.Tests.Features.Find;

public sealed class SearchByAddressTests(FindSiteFixture site) : IClassFixture<FindSiteFixture>
{
    private async Task<List<string>> BinsAsync(string q, string? language = null)
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString(q), language);
        return [.. page.AllByTestId("search-hit").Select(h => h.GetAttribute("data-bin")!)];
    }

    [Fact]
    public async Task Search_AStreet_RanksTheExactNameThenNamesThenAddresses()
    {
        var bins = await BinsAsync("Абая");

        Assert.Equal([Abaya, AbayaPlaza, CafeOnAbaya], bins.Take(3));
        Assert.Equal([Pharmacy, Salon], bins.Skip(3).Order());
        Assert.Equal(5, bins.Count);
    }

    [Fact]
    public async Task Search_StreetAndHouseNumber_FindsTheAddressesHoldingBoth_AndShowsThem()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("Абая 12"));

        var hits = page.AllByTestId("search-hit");
        Assert.Equal([Pharmacy, Salon], hits.Select(h => h.GetAttribute("data-bin")!).Order());
        var address = hits.Single(h => h.GetAttribute("data-bin") == Pharmacy).ByTestId("hit-address");
        Assert.Contains("ул. Абая, 12", address.Text(), StringComparison.Ordinal);
        Assert.Equal("true", address.GetAttribute("data-matched"));
    }

    [Fact]
    public async Task Search_StreetWithItsAbbreviation_FindsOnlyThatStreet()
    {
        Assert.Equal([Pharmacy, Salon], (await BinsAsync("ул. Абая")).Order());
    }

    [Theory]
    [InlineData("Медеуский район", "ru")]
    [InlineData("Медеу ауданы", "kk")]
    [InlineData("Medeu district", "en")]
    [InlineData("медеу", "ru")]
    public async Task Search_ADistrictNamedInAnyLanguage_FindsItsBusinesses(string q, string language)
    {
        Assert.Equal([Abaya, Restaurant], (await BinsAsync(q, language)).Order());
    }

    [Fact]
    public async Task Search_ADistrictAndAStreet_FindsTheStreetInThatDistrict()
    {
        Assert.Equal([Pharmacy, Salon], (await BinsAsync("Алмалинский Абая")).Order());
        Assert.Empty(await BinsAsync("Медеуский ул. Абая"));
    }

    [Fact]
    public async Task Search_DigitsInAName_RankAboveBinsStartingWithThem()
    {
        var bins = await BinsAsync("0007");

        Assert.Equal([Demo, NumberedLikeDemo], bins);
    }

    [Fact]
    public async Task Search_TwelveDigits_StayAnExactNumberLookup()
    {
        Assert.Equal([NumberedLikeDemo], await BinsAsync(NumberedLikeDemo));
    }

    [Fact]
    public async Task Search_TheFirstDigitsOfAnIin_FindNothing_TheFullIinFindsTheBusiness()
    {
        Assert.Empty(await BinsAsync(Individual[..6]));
        Assert.Empty(await BinsAsync(Individual[..11]));

        var full = await site.Client().GetAsync("/search?q=" + Individual);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, full.StatusCode);
        Assert.StartsWith("/business/", full.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("%%%")]
    [InlineData("a_b")]
    [InlineData("' OR 1=1 --")]
    [InlineData("\\%")]
    public async Task Search_LikeAndQuoteCharacters_AreTakenLiterally(string q)
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString(q));

        Assert.Empty(page.AllByTestId("search-hit"));
        Assert.NotNull(page.ByTestId("search-empty"));
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\"")]
    public async Task Search_AQuote_FindsOnlyTheNameHoldingIt(string q)
    {
        Assert.Equal([Hostile], await BinsAsync(q));
    }

    [Fact]
    public async Task Search_AThousandCharacters_IsSearchedForItsBeginning_AndSaysSo()
    {
        var q = "Абая " + new string('я', 995);

        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString(q));

        Assert.Contains("100", page.ByTestId("search-shortened").Text(), StringComparison.Ordinal);
        Assert.Equal(100, page.QuerySelector("#find-q")!.GetAttribute("value")!.Length);
        Assert.Equal("100", page.QuerySelector("#find-q")!.GetAttribute("maxlength"));
    }

    [Fact]
    public async Task Search_MoreWordsThanASearchTakes_UsesTheFirstAndSaysSo()
    {
        var page = await site.PageAsync("/search?q=" + Uri.EscapeDataString("ул Абая 12 а б в г д е"));

        Assert.NotNull(page.ByTestId("search-shortened"));
    }

    [Theory]
    [InlineData("/search?q=%00")]
    [InlineData("/search?q=%D0%B0%1F")]
    [InlineData("/search?q=%7F")]
    public async Task Search_ControlCharacters_Are400(string url)
    {
        var response = await site.Client().GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}
