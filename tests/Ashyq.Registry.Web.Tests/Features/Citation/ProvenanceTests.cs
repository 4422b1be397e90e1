using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Ashyq.Registry.Web.Features.Api;

namespace Ashyq.Registry.Web.Tests.Features.Citation;

/// <summary>
/// Every answer showing a week's figures says which week, when it was published and the SHA-256 of the
/// ministry's file, and these equal the week's real publication time and the hash of the file as uploaded.
/// </summary>
public sealed class ProvenanceTests(CitationSiteFixture site) : IClassFixture<CitationSiteFixture>
{
    private const string Week = "2021-07-05";
    private const string Later = "2021-07-12";

    [Fact]
    public async Task WeekApi_SaysWhichWeek_WhenPublished_AndTheFilesSha256()
    {
        using var week = await JsonAsync($"/api/v1/weeks/{Week}");

        await AssertProvenanceAsync(week.RootElement, Week);
    }

    [Fact]
    public async Task WeeksApi_EachWeek_CarriesItsOwnProvenance()
    {
        using var weeks = await JsonAsync("/api/v1/weeks");

        var items = weeks.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([Later, Week], items.Select(i => i.GetProperty("week").GetString()));
        Assert.NotEqual(site.Sha256(Week), site.Sha256(Later));
        foreach (var item in items)
            await AssertProvenanceAsync(item, item.GetProperty("week").GetString()!);
    }

    [Fact]
    public async Task ListApi_SaysWhichWeeksFileItsRowsComeFrom()
    {
        using var list = await JsonAsync($"/api/v1/lists/leaders?week={Week}");

        await AssertProvenanceAsync(list.RootElement, Week);
        Assert.Equal(CitationSiteFixture.L, list.RootElement.GetProperty("items")[0].GetProperty("bin").GetString());
    }

    [Fact]
    public async Task BusinessApi_GivesTheCurrentWeeksProvenance_AndEachHistoryRowItsOwn()
    {
        using var business = await JsonAsync($"/api/v1/businesses/{CitationSiteFixture.L}");

        await AssertProvenanceAsync(business.RootElement, Later);
        var history = business.RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        foreach (var row in history)
            await AssertProvenanceAsync(row, row.GetProperty("weekStart").GetString()!);
    }

    [Fact]
    public async Task JsonDownload_HasTheSameProvenanceFields()
    {
        using var download = await JsonAsync($"/lists/participants.json?week={Week}");

        await AssertProvenanceAsync(download.RootElement, Week);
        Assert.Equal(3, download.RootElement.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task CsvAndXlsxDownloads_SayItInTheirHeaders(string format)
    {
        var response = await site.Client().GetAsync($"/lists/leaders.{format}?week={Week}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Week, Header(response, Provenance.WeekHeader));
        Assert.Equal(await site.PublishedAtAsync(Week), DateTimeOffset.Parse(Header(response, Provenance.PublishedAtHeader), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(site.Sha256(Week), Header(response, Provenance.SourceSha256Header));
    }

    [Fact]
    public async Task XlsxDownload_HasASecondSheetAbout_WithTheSameFacts()
    {
        var bytes = await site.Client().GetByteArrayAsync($"/lists/leaders.xlsx?week={Week}&lang=en");

        using var zip = new ZipArchive(new MemoryStream(bytes));
        var workbook = await ReadAsync(zip, "xl/workbook.xml");
        Assert.Contains("name=\"about\" sheetId=\"2\"", workbook, StringComparison.Ordinal);
        Assert.Contains("worksheets/sheet2.xml", await ReadAsync(zip, "xl/_rels/workbook.xml.rels"), StringComparison.Ordinal);
        Assert.Contains("/xl/worksheets/sheet2.xml", await ReadAsync(zip, "[Content_Types].xml"), StringComparison.Ordinal);
        var about = await ReadAsync(zip, "xl/worksheets/sheet2.xml");
        Assert.Contains(site.Sha256(Week), about, StringComparison.Ordinal);
        Assert.Contains(Week, about, StringComparison.Ordinal);
        Assert.Contains("CC BY 4.0", about, StringComparison.Ordinal);
        Assert.Contains("Ashyq Registry", about, StringComparison.Ordinal);
        var published = await site.PublishedAtAsync(Week);
        Assert.Contains(Provenance.Moment(published), about, StringComparison.Ordinal);
        // The list itself is still the first sheet.
        Assert.Contains(CitationSiteFixture.L, await ReadAsync(zip, "xl/worksheets/sheet1.xml"), StringComparison.Ordinal);
    }

    private async Task AssertProvenanceAsync(JsonElement element, string week)
    {
        Assert.Equal(week, element.GetProperty("week").GetString());
        var publishedAt = element.GetProperty("publishedAt").GetString()!;
        Assert.Matches(@"T\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$", publishedAt);
        Assert.Equal(await site.PublishedAtAsync(week), element.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(site.Sha256(week), element.GetProperty("sourceSha256").GetString());
    }

    private async Task<JsonDocument> JsonAsync(string url)
    {
        var response = await site.Client().GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.Single()
        : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static async Task<string> ReadAsync(ZipArchive zip, string path)
    {
        using var reader = new StreamReader(zip.GetEntry(path)!.Open());
        return await reader.ReadToEndAsync();
    }
}
