using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// Two published weeks: 2021-07-12 from a file with the flagged-visitors column (170 flagged), then 2021-07-19
/// from a file without it, loaded through the real pipeline.
/// </summary>
public sealed class FlaggedNotReportedSite : IAsyncLifetime
{
    public RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        var before = await Site.ImportAsync(new ExportBuilder()
            .Row(ExportBuilder.BinFor(201), "лидер", "Кафе «Алма»", scans: 900, flagged: 120)
            .Row(ExportBuilder.BinFor(202), "аутсайдер", "Ресторан «Тау»", "Ресторан", scans: 5, flagged: 50)
            .ToBytes(), "2021-07-12");
        var without = Encoding.UTF8.GetBytes(
            "БИН;Наименование;Вид деятельности;Район;Количество сканирований;Статус;Причина\r\n"
            + $"{ExportBuilder.BinFor(201)};Кафе «Алма»;Кафе;Алмалинский;950;лидер;\r\n"
            + $"{ExportBuilder.BinFor(202)};Ресторан «Тау»;Ресторан;Алмалинский;300;участник;\r\n");
        var after = await Site.ImportAsync(without, "2021-07-19");
        if (before.State != ImportStates.Loaded || after.State != ImportStates.Loaded)
            throw new InvalidOperationException($"The weeks did not load: {before.State}, {after.State}");
    }

    public async Task<string> GetAsync(string url)
    {
        var response = await Site.CreateClient().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

public sealed class FlaggedNotReportedTests(FlaggedNotReportedSite site) : IClassFixture<FlaggedNotReportedSite>
{
    [Theory]
    [InlineData("ru", "Не сообщалось")]
    [InlineData("kk", "Хабарланбаған")]
    [InlineData("en", "Not reported")]
    public async Task Get_Home_WeekWithoutFlaggedColumn_SaysNotReportedAndNoChange(string language, string notReported)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/?lang={language}"));

        var flagged = page.ByTestId("figure-flagged");
        Assert.Equal(notReported, flagged.ByTestId("value").Text());
        Assert.Null(flagged.QuerySelector("[data-testid='change']"));
        Assert.NotNull(flagged.QuerySelector("[data-testid='not-reported-note']"));
        Assert.Equal("2", page.ByTestId("figure-participants").ByTestId("value").Text());
    }

    [Theory]
    [InlineData("ru", "Не сообщалось")]
    [InlineData("kk", "Хабарланбаған")]
    [InlineData("en", "Not reported")]
    public async Task Get_Statistics_WeekWithoutFlaggedColumn_SaysNotReportedBesideTheWeekThatHadIt(string language, string notReported)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/statistics?lang={language}"));

        var rows = page.AllByTestId("row-week").ToDictionary(r => r.GetAttribute("data-week")!, r => r.ByTestId("flagged").Text());
        Assert.Equal("170", rows["2021-07-12"]);
        Assert.Equal(notReported, rows["2021-07-19"]);
    }

    [Fact]
    public async Task Get_ApiWeeks_WeekWithoutFlaggedColumn_HasNullFlaggedVisitors()
    {
        using var list = JsonDocument.Parse(await site.GetAsync("/api/v1/weeks"));
        using var detail = JsonDocument.Parse(await site.GetAsync("/api/v1/weeks/2021-07-19"));
        using var earlier = JsonDocument.Parse(await site.GetAsync("/api/v1/weeks/2021-07-12"));

        var items = list.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(w => w.GetProperty("weekStart").GetString()!, w => w.GetProperty("flaggedVisitors"));
        Assert.Equal(JsonValueKind.Null, items["2021-07-19"].ValueKind);
        Assert.Equal(170, items["2021-07-12"].GetInt64());
        Assert.Equal(JsonValueKind.Null, detail.RootElement.GetProperty("flaggedVisitors").ValueKind);
        Assert.Equal(170, earlier.RootElement.GetProperty("flaggedVisitors").GetInt64());
    }

    [Theory]
    [InlineData("ru", "Не сообщалось")]
    [InlineData("kk", "Хабарланбаған")]
    [InlineData("en", "Not reported")]
    public async Task Get_Business_WeekWithoutFlaggedColumn_SaysNotReportedBesideTheWeekThatHadIt(string language, string notReported)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/business/{ExportBuilder.BinFor(201)}?lang={language}"));

        var rows = page.AllByTestId("history-row").ToDictionary(r => r.GetAttribute("data-week")!, r => r.ByTestId("flagged"));
        Assert.Equal("120", rows["2021-07-12"].Text());
        Assert.Null(rows["2021-07-12"].GetAttribute("data-not-reported"));
        Assert.Equal(notReported, rows["2021-07-19"].Text());
        Assert.Equal("true", rows["2021-07-19"].GetAttribute("data-not-reported"));
    }

    [Fact]
    public async Task Get_ApiBusiness_WeekWithoutFlaggedColumn_HasNullFlaggedVisitors()
    {
        using var business = JsonDocument.Parse(await site.GetAsync($"/api/v1/businesses/{ExportBuilder.BinFor(201)}"));

        var weeks = business.RootElement.GetProperty("history").EnumerateArray()
            .ToDictionary(w => w.GetProperty("weekStart").GetString()!, w => w.GetProperty("flaggedVisitors"));
        Assert.Equal(JsonValueKind.Null, weeks["2021-07-19"].ValueKind);
        Assert.Equal(120, weeks["2021-07-12"].GetInt32());
    }

    [Fact]
    public async Task Get_Feed_WeekWithoutFlaggedColumn_SaysNotReported()
    {
        var feed = await site.GetAsync("/feed.atom?lang=en");

        Assert.Contains("visitors found under a self-isolation order: not reported.", feed, StringComparison.Ordinal);
        Assert.Contains("visitors found under a self-isolation order: 170.", feed, StringComparison.Ordinal);
    }
}
