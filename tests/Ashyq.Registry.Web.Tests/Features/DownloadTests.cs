using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Ashyq.Registry.Web.Features.Lists;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class DownloadTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    [Fact]
    public async Task Download_Csv_IsUtf8WithBomAndSemicolons()
    {
        var response = await site.Client().GetAsync("/lists/leaders.csv?week=2021-07-12");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ashyq-leaders-2021-07-12.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Неделя;БИН/ИИН;Наименование;", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"2021-07-12;{PublicSiteFixture.C};Салон красоты «Ару»;Салоны красоты и парикмахерские;Бостандыкский;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_Csv_NeutralisesFormulas()
    {
        var csv = await site.Client().GetStringAsync("/lists/leaders.csv?week=2021-07-12");

        Assert.Contains(";'=1+2 Кафе Формула;", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";=1+2", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_Csv_HonoursTheFilters()
    {
        var csv = await site.Client().GetStringAsync("/lists/participants.csv?week=2021-07-12&category=beauty");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(PublicSiteFixture.C, lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_Csv_Excluded_HasReasonAndSourceInTheLanguage()
    {
        var csv = await site.Client().GetStringAsync("/lists/excluded.csv?week=2021-07-12&lang=en");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(";Excluded;Outsider 2 weeks in a row;by the two-week rule", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+7 701", "'+7 701")]
    [InlineData("-1", "-1")]
    [InlineData("-3", "-3")]
    [InlineData("+12,5", "+12,5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("-3+2", "'-3+2")]
    [InlineData("-1,", "'-1,")]
    [InlineData("-", "'-")]
    [InlineData("+A1", "'+A1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Neutralise_DefusesEveryFormulaPrefix(string value, string expected) =>
        Assert.Equal(expected, ListDownload.Neutralise(value));

    [Fact]
    public async Task Download_Xlsx_IsAWorkbookWithNeutralisedCells()
    {
        var response = await site.Client().GetAsync("/lists/leaders.xlsx?week=2021-07-12");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var sheetStream = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        var sheet = XDocument.Load(sheetStream);
        var rows = sheet.Descendants(Sheet + "row").ToList();
        Assert.Equal(4, rows.Count);
        var texts = sheet.Descendants(Sheet + "t").Select(t => t.Value).ToList();
        Assert.Contains("'=1+2 Кафе Формула", texts);
        Assert.DoesNotContain("=1+2 Кафе Формула", texts);
        Assert.Contains(PublicSiteFixture.C, texts);
    }

    [Fact]
    public async Task Download_Json_ListsItemsWithCodes()
    {
        var json = await site.Client().GetStringAsync("/lists/excluded.json?week=2021-07-05");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("2021-07-05", root.GetProperty("weekStart").GetString());
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal(PublicSiteFixture.D, item.GetProperty("bin").GetString());
        Assert.Equal("markets", item.GetProperty("category").GetString());
        Assert.Equal("turksib", item.GetProperty("district").GetString());
        Assert.Equal("file", item.GetProperty("exclusionSource").GetString());
        Assert.Equal("Отказ от сканирования", item.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("/lists/leaders.xlsx?week=2021-08-02")]
    [InlineData("/lists/winners.csv")]
    [InlineData("/lists/leaders.pdf")]
    public async Task Download_UnpublishedWeekOrUnknownList_Is404(string url)
    {
        var response = await site.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetApi_List_PagesTheList()
    {
        var json = await site.Client().GetStringAsync("/api/v1/lists/participants?week=2021-07-12&page=2&pageSize=2");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("2021-07-12", root.GetProperty("weekStart").GetString());
        Assert.Equal(4, root.GetProperty("total").GetInt32());
        Assert.Equal(2, root.GetProperty("page").GetInt32());
        Assert.Equal(2, root.GetProperty("pageSize").GetInt32());
        Assert.Equal(2, root.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task GetApi_List_DefaultsToTheLatestWeekAndFilters()
    {
        var json = await site.Client().GetStringAsync("/api/v1/lists/leaders?q=" + Uri.EscapeDataString("салон"));

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("2021-07-19", root.GetProperty("weekStart").GetString());
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal(PublicSiteFixture.C, item.GetProperty("bin").GetString());
        Assert.Equal("leader", item.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/v1/lists/leaders?week=2021-08-02")]
    [InlineData("/api/v1/lists/nobody")]
    public async Task GetApi_List_UnpublishedWeekOrUnknownList_Is404(string url)
    {
        var response = await site.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
