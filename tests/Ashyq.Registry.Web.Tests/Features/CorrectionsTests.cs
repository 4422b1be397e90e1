using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Aliases;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>The fixture's week of 2021-07-26 was published and withdrawn ("ошибка в файле").</summary>
public sealed class CorrectionsTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Theory]
    [InlineData("/leaders?week=2021-07-26")]
    [InlineData("/exclusions?week=2021-07-26")]
    [InlineData("/changes?week=2021-07-26")]
    [InlineData("/statistics?week=2021-07-26")]
    [InlineData("/lists/leaders.csv?week=2021-07-26")]
    public async Task WithdrawnWeek_Page_IsGoneWithDateAndReason(string url)
    {
        foreach (var (language, title) in new[] { ("ru", "Неделя отозвана"), ("kk", "Апта кері қайтарылды"), ("en", "This week was withdrawn") })
        {
            var page = await site.PageAsync(url + "&lang=" + language, HttpStatusCode.Gone);

            Assert.Equal(title, page.ByTestId("week-withdrawn").Text());
            Assert.Equal("ошибка в файле", page.ByTestId("withdrawal-reason").Text());
            Assert.Contains(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), page.ByTestId("withdrawal").Text(), StringComparison.Ordinal);
            Assert.DoesNotContain("Отозванная неделя", page.Body!.TextContent, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/v1/lists/leaders?week=2021-07-26")]
    [InlineData("/api/v1/weeks/2021-07-26")]
    public async Task WithdrawnWeek_Api_IsGoneWithDateAndReason(string url)
    {
        var response = await site.Client().GetAsync(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=en");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("2021-07-26", problem.RootElement.GetProperty("weekStart").GetString());
        Assert.Equal("ошибка в файле", problem.RootElement.GetProperty("reason").GetString());
        Assert.True(problem.RootElement.TryGetProperty("withdrawnAt", out _));
        Assert.StartsWith("The week 2021-07-26 was withdrawn on ", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverPublishedWeek_IsStill404()
    {
        var response = await site.Client().GetAsync("/api/v1/lists/leaders?week=2021-08-02");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Feed_KeepsAnEntrySayingTheWeekWasWithdrawn()
    {
        var feed = XDocument.Parse(await site.Client().GetStringAsync("/feed.atom?lang=en"));
        var entries = feed.Root!.Elements(Atom + "entry").ToList();

        Assert.True(entries.Count >= 4, feed.ToString());
        var withdrawn = entries.Single(e => e.Element(Atom + "id")!.Value.EndsWith("/changes?week=2021-07-26&lang=en", StringComparison.Ordinal));
        Assert.StartsWith("Lists withdrawn for the week", withdrawn.Element(Atom + "title")!.Value, StringComparison.Ordinal);
        Assert.Contains("Reason: ошибка в файле", withdrawn.Element(Atom + "summary")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectionsPage_ListsTheWithdrawal_AndACategoryRemapThatMovedPublishedRows()
    {
        var outcome = await site.Site.ImportAsync(
            new ExportBuilder().Row(ExportBuilder.BinFor(401), "лидер", "Кофейня «Тест»", category: "Зкщвх", scans: 5).ToBytes(), "2021-08-09");
        Assert.Equal("loaded", outcome.State);
        var dataSource = site.Site.Services.GetRequiredService<NpgsqlDataSource>();
        var moves = await AliasRemap.ApplyAsync(dataSource, new AliasChange(null, "зкщвх", "catering"), "test", null, CancellationToken.None);
        Assert.Equal(1, moves.Sum(m => m.Rows));

        var page = await site.PageAsync("/corrections?lang=en");
        var corrections = page.AllByTestId("correction");

        Assert.Equal(2, corrections.Count);
        Assert.Equal("alias-added", corrections[0].GetAttribute("data-kind"));
        Assert.Contains("“зкщвх” now counts as “Catering”", corrections[0].Text(), StringComparison.Ordinal);
        Assert.Equal("1 rows re-mapped in 1 weeks; their participants by category were counted again.", corrections[0].ByTestId("correction-rows").Text());
        Assert.Equal("withdrawal", corrections[1].GetAttribute("data-kind"));
        Assert.Equal("2021-07-26", corrections[1].GetAttribute("data-week"));
        Assert.Equal("ошибка в файле", corrections[1].ByTestId("correction-reason").Text());
        Assert.Contains("It had 1 participants, 1 leaders, 0 outsiders and 0 excluded", corrections[1].Text(), StringComparison.Ordinal);
        var home = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/"));
        Assert.Equal("/corrections", home.ByTestId("corrections-link").GetAttribute("href"));
    }
}
