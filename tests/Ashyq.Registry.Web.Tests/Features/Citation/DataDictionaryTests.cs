using System.Net;
using System.Text;
using System.Text.Json;
using Ashyq.Registry.Web.Features.Api;

namespace Ashyq.Registry.Web.Tests.Features.Citation;

/// <summary>The data dictionary (/data) lists what the downloads and the API really hold, and the codes with their names.</summary>
public sealed class DataDictionaryTests(CitationSiteFixture site) : IClassFixture<CitationSiteFixture>
{
    public static TheoryData<string> Languages() => new() { "ru", "kk", "en" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Dictionary_ListsEveryColumnOfARealCsvDownload_InItsLanguage(string language)
    {
        var csv = Encoding.UTF8.GetString(await site.Client().GetByteArrayAsync($"/lists/participants.csv?week=2021-07-05&lang={language}"));
        var header = csv.TrimStart('\uFEFF').Split("\r\n")[0].Split(';');

        var page = await site.PageAsync($"/data?lang={language}");

        var columns = page.AllByTestId("data-column-name").Select(c => c.Text()).ToList();
        Assert.Equal(header, columns);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Dictionary_ListsEveryFieldOfTheJsonDownloadAndTheApi(string language)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in new[]
        {
            "/lists/participants.json?week=2021-07-05", "/api/v1/lists/participants?week=2021-07-05", "/api/v1/weeks",
            "/api/v1/weeks/2021-07-05", $"/api/v1/businesses/{CitationSiteFixture.L}",
        })
        {
            using var answer = JsonDocument.Parse(await site.Client().GetStringAsync(url));
            Collect(answer.RootElement, names);
        }
        Assert.Contains("sourceSha256", names);
        Assert.Contains("exclusionSource", names);

        var page = await site.PageAsync($"/data?lang={language}");

        var listed = page.AllByTestId("data-field-name").Select(f => f.Text()).ToHashSet(StringComparer.Ordinal);
        Assert.All(names, name => Assert.Contains(name, listed));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Dictionary_ListsEveryCategoryAndDistrictCode_WithItsNamesInEachLanguage(string language)
    {
        var page = await site.PageAsync($"/data?lang={language}");

        foreach (var table in new[] { "categories", "districts" })
        {
            var reference = await site.ReferenceAsync(table);
            Assert.NotEmpty(reference);
            var rows = page.ByTestId("data-" + table).QuerySelectorAll("[data-testid='data-code']")
                .ToDictionary(r => r.GetAttribute("data-code")!, r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToList());
            Assert.Equal(reference.Count, rows.Count);
            foreach (var (code, ru, kk, en) in reference)
                Assert.Equal([ru, kk, en], rows[code]);
        }
    }

    [Fact]
    public async Task Dictionary_ListsEveryStatusCode_WithItsNames()
    {
        var page = await site.PageAsync("/data?lang=kk");

        var statuses = page.AllByTestId("data-status").ToDictionary(r => r.GetAttribute("data-code")!, r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToList());
        Assert.Equal(["excluded", "leader", "outsider", "participant"], statuses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Лидер", "Көшбасшы", "Leader"], statuses["leader"]);
    }

    [Theory]
    [InlineData("ru", "Лицензия")]
    [InlineData("kk", "Лицензия")]
    [InlineData("en", "Licence")]
    public async Task Dictionary_StatesTheLicence_TheProvenanceHeaders_HowIinsAreMasked_AndWhomToAsk(string language, string licence)
    {
        var page = await site.PageAsync($"/data?lang={language}");

        Assert.Contains(licence, page.ByTestId("data-licence").Text(), StringComparison.Ordinal);
        Assert.Contains("CC BY 4.0", page.ByTestId("data-licence").Text(), StringComparison.Ordinal);
        var headers = page.ByTestId("data-headers").Text();
        Assert.Contains(Provenance.WeekHeader, headers, StringComparison.Ordinal);
        Assert.Contains(Provenance.PublishedAtHeader, headers, StringComparison.Ordinal);
        Assert.Contains(Provenance.SourceSha256Header, headers, StringComparison.Ordinal);
        Assert.Contains("********5678", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/corrections']"));
        Assert.NotEmpty(page.ByTestId("data-contact").Text());
    }

    [Fact]
    public async Task Footer_ListPages_AndTheAboutPage_LinkTheDictionary()
    {
        Assert.NotNull((await site.PageAsync("/")).QuerySelector("[data-testid='data-link'][href='/data']"));
        Assert.NotNull((await site.PageAsync("/leaders")).QuerySelector("[data-testid='download-dictionary'][href='/data']"));
        Assert.NotNull((await site.PageAsync("/about")).QuerySelector("[data-testid='about-dictionary'][href='/data']"));
    }

    [Fact]
    public async Task Dictionary_IsCachedLikeThePublicPages()
    {
        var response = await site.Client().GetAsync("/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.Public, response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    private static void Collect(JsonElement element, HashSet<string> names)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                names.Add(property.Name);
                Collect(property.Value, names);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, names);
        }
    }
}
