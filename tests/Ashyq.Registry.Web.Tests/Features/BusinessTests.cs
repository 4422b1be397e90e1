using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class BusinessTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Fact]
    public async Task Get_Business_ShowsCurrentStatusFactsAndProvenance()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.C}");

        Assert.Equal("Салон красоты «Ару»", page.ByTestId("business-name").Text());
        Assert.Equal("leader", page.ByTestId("current-status").ByTestId("status").GetAttribute("data-status"));
        Assert.Contains("Лидер", page.ByTestId("current-status").Text());
        Assert.Equal("Салоны красоты и парикмахерские", page.ByTestId("category").Text());
        Assert.Equal("Бостандыкский", page.ByTestId("district").Text());
        Assert.Contains("19–25 июля 2021", page.ByTestId("provenance").Text());
        Assert.Empty(page.AllByTestId("not-in-latest"));
    }

    [Fact]
    public async Task Get_Business_HistoryListsEveryPublishedWeekOnly()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.C}");

        var rows = page.AllByTestId("history-row").Select(r => (r.GetAttribute("data-week"), r.GetAttribute("data-status"))).ToList();
        Assert.Equal([("2021-07-19", "leader"), ("2021-07-12", "leader"), ("2021-07-05", "participant")], rows);
    }

    [Fact]
    public async Task Get_Business_ExcludedThenReadmitted_SaysWhenAndWhy()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.D}?lang=en");

        Assert.Contains("Refusal", page.ByTestId("event-excluded").Text().Replace("Отказ от сканирования", "Refusal", StringComparison.Ordinal));
        Assert.Contains("5–11 July 2021", page.ByTestId("event-excluded").Text());
        Assert.Contains("12–18 July 2021", page.ByTestId("event-readmitted").Text());
    }

    [Fact]
    public async Task Get_Business_ExcludedByRule_ShowsTheRuleInWords()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.B}");

        var excluded = page.ByTestId("event-excluded").Text();
        Assert.Contains("Аутсайдер 2 недели подряд", excluded);
        Assert.Contains("по правилу двух недель", excluded);
    }

    [Fact]
    public async Task Get_Business_NotInLatestWeek_SaysSoAndNamesTheLastWeek()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.B}");

        var notice = page.ByTestId("not-in-latest").Text();
        Assert.Contains("19–25 июля 2021", notice);
        Assert.Contains("12–18 июля 2021", notice);
        Assert.Equal("not-listed", page.AllByTestId("history-row")[0].GetAttribute("data-status"));
    }

    [Fact]
    public async Task Get_Business_BinWithSpaces_IsAccepted()
    {
        var spaced = PublicSiteFixture.C[..4] + "%20" + PublicSiteFixture.C[4..];

        var page = await site.PageAsync($"/business/{spaced}");

        Assert.Equal(PublicSiteFixture.C, page.ByTestId("bin").Text());
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("abcdefghijkl")]
    public async Task Get_Business_MalformedBin_Is400(string bin)
    {
        var page = await site.PageAsync($"/business/{bin}", HttpStatusCode.BadRequest);

        Assert.NotNull(page.ByTestId("malformed-bin"));
    }

    [Fact]
    public async Task Get_Business_WrongCheckDigit_Is400()
    {
        var bin = PublicSiteFixture.A[..11] + (char)('0' + ((PublicSiteFixture.A[11] - '0' + 1) % 10));

        await site.PageAsync($"/business/{bin}", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_Business_Unknown_Is404OfferingSearch()
    {
        var page = await site.PageAsync($"/business/{Testing.ExportBuilder.BinFor(999)}", HttpStatusCode.NotFound);

        Assert.NotNull(page.ByTestId("unknown-bin"));
        Assert.NotNull(page.ByTestId("search-form"));
    }

    [Theory]
    [InlineData(nameof(PublicSiteFixture.W))]
    [InlineData(nameof(PublicSiteFixture.X))]
    public async Task Get_Business_OnlyInWithdrawnOrDraftWeek_Is404(string which)
    {
        var bin = which == nameof(PublicSiteFixture.W) ? PublicSiteFixture.W : PublicSiteFixture.X;

        await site.PageAsync($"/business/{bin}", HttpStatusCode.NotFound);
        var api = await site.Client().GetAsync($"/api/v1/businesses/{bin}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task Get_Business_NameWithHtml_IsShownAsText()
    {
        var page = await site.PageAsync($"/business/{PublicSiteFixture.E}");

        Assert.Equal(PublicSiteFixture.HtmlName, page.ByTestId("business-name").TextContent);
        Assert.Empty(page.QuerySelectorAll("main script, main b"));
    }

    [Fact]
    public async Task GetApi_Business_ReturnsCurrentStatusAndHistory()
    {
        var json = await site.Client().GetStringAsync($"/api/v1/businesses/{PublicSiteFixture.B}");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(PublicSiteFixture.B, root.GetProperty("bin").GetString());
        Assert.Equal("Ресторан «Бота»", root.GetProperty("name").GetString());
        Assert.Equal("catering", root.GetProperty("category").GetString());
        Assert.Equal("medeu", root.GetProperty("district").GetString());
        Assert.Equal("excluded", root.GetProperty("currentStatus").GetString());
        Assert.Equal("2021-07-12", root.GetProperty("lastListedWeek").GetString());
        var history = root.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("2021-07-12", history[0].GetProperty("weekStart").GetString());
        Assert.Equal("rule", history[0].GetProperty("exclusionSource").GetString());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("reason").ValueKind);
        Assert.Equal("outsider", history[1].GetProperty("status").GetString());
        Assert.Equal(5, history[1].GetProperty("scans").GetInt32());
        Assert.Equal(1, history[1].GetProperty("flaggedVisitors").GetInt32());
    }

    [Fact]
    public async Task GetApi_Business_ReasonOfTheFileIsGivenForItsWeekOnly()
    {
        var json = await site.Client().GetStringAsync($"/api/v1/businesses/{PublicSiteFixture.D}");

        var history = JsonDocument.Parse(json).RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["2021-07-19", "2021-07-12", "2021-07-05"], history.Select(w => w.GetProperty("weekStart").GetString()));
        Assert.Equal(["participant", "participant", "excluded"], history.Select(w => w.GetProperty("status").GetString()));
        Assert.Equal("Отказ от сканирования", history[2].GetProperty("reason").GetString());
        Assert.Equal("file", history[2].GetProperty("exclusionSource").GetString());
        Assert.All(history.Take(2), w => Assert.Equal(JsonValueKind.Null, w.GetProperty("reason").ValueKind));
    }

    [Fact]
    public async Task GetApi_Business_MalformedIs400_UnknownIs404()
    {
        var malformed = await site.Client().GetAsync("/api/v1/businesses/123");
        var unknown = await site.Client().GetAsync($"/api/v1/businesses/{Testing.ExportBuilder.BinFor(999)}");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Get_Badge_IsValidSvgWithTheStatusInWords()
    {
        var response = await site.Client("en").GetAsync($"/business/{PublicSiteFixture.F}/badge.svg");

        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
        Assert.Contains("Leader", svg.Root.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", svg.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("href", svg.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Badge_UnknownIs404_MalformedIs400()
    {
        var unknown = await site.Client().GetAsync($"/business/{Testing.ExportBuilder.BinFor(999)}/badge.svg");
        var malformed = await site.Client().GetAsync("/business/1/badge.svg");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
