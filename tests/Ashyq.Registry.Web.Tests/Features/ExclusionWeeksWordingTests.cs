using System.Net;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Tests.Features.Staff;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// A site run with the contract's N set to three (<c>Registry:ExclusionWeeks</c>, as <c>Registry__ExclusionWeeks=3</c>
/// would give it): business A is an outsider in three published weeks, so it is still listed as an outsider in the
/// second week and excluded by the rule in the third.
/// </summary>
public sealed class ThreeWeekRuleSite : IAsyncLifetime
{
    public static readonly string A = ExportBuilder.BinFor(301);
    public static readonly string B = ExportBuilder.BinFor(302);
    public static readonly string[] Weeks = ["2021-06-28", "2021-07-05", "2021-07-12"];
    public static readonly string[] Drafts = ["2021-08-02", "2021-08-09"];

    public RegistryWebFactory Site { get; } = new() { Settings = { ["Registry:ExclusionWeeks"] = "3" } };

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        foreach (var week in Weeks)
        {
            var outcome = await Site.ImportAsync(new ExportBuilder()
                .Row(A, "аутсайдер", "Кафе «Жетісу»", scans: 10)
                .Row(B, "лидер", "Кафе «Алма»", scans: 900)
                .ToBytes(), week);
            if (outcome.State != ImportStates.Loaded)
                throw new InvalidOperationException($"The week {week} did not load: {outcome.State}");
        }
        // Two drafts after them, so that the staff review of the second names the earlier draft under the rule.
        foreach (var draft in Drafts)
            await Site.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").ToBytes(), draft, publish: false);
    }

    public async Task<string> GetAsync(string url)
    {
        var response = await Site.CreateClient().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

public sealed class ExclusionWeeksWordingTests(ThreeWeekRuleSite site) : IClassFixture<ThreeWeekRuleSite>
{
    // What each language calls the rule when N is three, and the words of N = 2 that must not appear.
    public static TheoryData<string, string, string> Languages => new()
    {
        { "ru", "по правилу трёх недель", "двух недель" },
        { "kk", "үш апта ережесі бойынша", "екі апта" },
        { "en", "by the three-week rule", "two-week" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Get_Exclusions_ThreeWeekRule_NamesTheRuleWithItsNumber(string language, string rule, string twoWeekWords)
    {
        var body = await site.GetAsync($"/exclusions?week=2021-07-12&lang={language}");
        var page = new HtmlParser().ParseDocument(body);

        var rows = page.AllByTestId("list-row").ToList();
        Assert.Single(rows);
        Assert.Equal(rule, rows[0].ByTestId("source").Text());
        Assert.Contains("3", rows[0].ByTestId("reason").Text());
        Assert.Contains(rule, page.QuerySelector("p.lead")!.Text());
        Assert.DoesNotContain(twoWeekWords, body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_Outsiders_ThreeWeekRule_SecondOutsiderWeekIsStillAnOutsider()
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync("/outsiders?week=2021-07-05&lang=ru"));

        var rows = page.AllByTestId("list-row").ToList();
        Assert.Single(rows);
        Assert.Contains("Жетісу", rows[0].TextContent);
        Assert.Contains("Аутсайдер 3 недели подряд исключается", page.QuerySelector("p.lead")!.Text());
    }

    [Theory]
    [InlineData("ru", "Аутсайдер 3 недели подряд исключается")]
    [InlineData("kk", "Қатарынан 3 апта аутсайдер болған")]
    [InlineData("en", "An outsider 3 weeks in a row is excluded")]
    public async Task Get_OutsidersIntro_ThreeWeekRule_SaysHowManyWeeks(string language, string intro)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/outsiders?lang={language}"));

        Assert.Contains(intro, page.QuerySelector("p.lead")!.Text());
    }

    [Theory]
    [InlineData("ru", "из них по правилу трёх недель: 1")]
    [InlineData("kk", "оның ішінде үш апта ережесі бойынша: 1")]
    [InlineData("en", "of them by the three-week rule: 1")]
    public async Task Get_Home_ThreeWeekRule_CountsExclusionsByTheRuleUnderItsName(string language, string line)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/?lang={language}"));

        Assert.Equal(line, page.ByTestId("excluded-by-rule").Text().Trim());
    }

    [Theory]
    [InlineData("ru", "Исключены по правилу трёх недель")]
    [InlineData("kk", "Үш апта ережесі бойынша шығарылғандар")]
    [InlineData("en", "Excluded by the three-week rule")]
    public async Task Get_Changes_ThreeWeekRule_HeadsTheSectionWithTheRulesName(string language, string heading)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/changes?week=2021-07-12&lang={language}"));

        Assert.Equal($"{heading} (1)", page.QuerySelector("#heading-excluded-rule")!.Text().Trim());
    }

    [Theory]
    [InlineData("ru", "аутсайдер 3 недели подряд")]
    [InlineData("en", "an outsider 3 published weeks in a row")]
    public async Task Get_About_ThreeWeekRule_StatesTheRuleWithItsNumber(string language, string rule)
    {
        var page = new HtmlParser().ParseDocument(await site.GetAsync($"/about?lang={language}"));

        Assert.Contains(rule, page.Body!.TextContent);
    }

    [Fact]
    public async Task Get_ExclusionsCsvAndFeed_ThreeWeekRule_NameTheRuleWithItsNumber()
    {
        var csv = await site.GetAsync("/lists/excluded.csv?week=2021-07-12&lang=en");
        var feed = await site.GetAsync("/feed.atom?lang=en");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(";Excluded;Outsider 3 weeks in a row;by the three-week rule", lines[1], StringComparison.Ordinal);
        Assert.Contains("(by the three-week rule: 1)", feed);
        Assert.DoesNotContain("two-week", feed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru", "Исключены по правилу трёх недель", "Правило трёх недель учитывает")]
    [InlineData("kk", "Үш апта ережесі бойынша шығарылғандар", "Шығару ережесі (үш апта)")]
    [InlineData("en", "Excluded by the three-week rule", "The three-week rule counts")]
    public async Task Get_StaffReview_ThreeWeekRule_NamesTheRuleWithItsNumber(string language, string total, string draftsNote)
    {
        var email = $"rule-{language}@example.kz";
        using var staff = await StaffSession.SignedInAsync(site.Site, email);

        var page = await staff.PageAsync($"/staff/weeks/2021-08-09?lang={language}");

        Assert.Contains(total, page.Body!.TextContent);
        Assert.Contains(draftsNote, page.ByTestId("earlier-drafts").TextContent);
    }
}
