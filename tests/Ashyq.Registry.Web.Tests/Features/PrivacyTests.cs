using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// Two weeks uploaded and published by staff through the site: a legal entity (BIN) and three individual
/// entrepreneurs (IINs) — a leader, an outsider twice (excluded by the rule), one excluded by the file.
/// </summary>
public sealed class PrivacyFixture : IAsyncLifetime
{
    public static readonly string Company = ExportBuilder.BinFor(201);
    public static readonly string Leader = ExportBuilder.IinFor(1);
    public static readonly string Outsider = ExportBuilder.IinFor(2);
    public static readonly string Dropped = ExportBuilder.IinFor(3);
    public static readonly string[] Iins = [Leader, Outsider, Dropped];

    public RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        using var staff = await StaffSession.SignedInAsync(Site, "privacy@example.kz");
        await UploadAndPublish(staff, "2021-07-05", new ExportBuilder()
            .Row(Company, "лидер", "ТОО «Достар»", scans: 900)
            .Row(Leader, "лидер", "ИП Иванов", scans: 800)
            .Row(Outsider, "аутсайдер", "ИП Петрова", scans: 3)
            .Row(Dropped, "исключен", "ИП Сидоров", scans: 0, reason: "Отказ от сканирования"));
        await UploadAndPublish(staff, "2021-07-12", new ExportBuilder()
            .Row(Company, "лидер", "ТОО «Достар»", scans: 950)
            .Row(Leader, "лидер", "ИП Иванов", scans: 820)
            .Row(Outsider, "аутсайдер", "ИП Петрова", scans: 2)
            .Row(Dropped, "участник", "ИП Сидоров", scans: 100));
    }

    private static async Task UploadAndPublish(StaffSession staff, string week, ExportBuilder file)
    {
        await staff.UploadLoadedAsync(file.ToBytes(), $"week-{week}.csv", week);
        var published = await staff.PublishTickingEveryBoxAsync(week);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
    }

    public HttpClient Client() => Site.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

public sealed class PrivacyTests(PrivacyFixture site) : IClassFixture<PrivacyFixture>
{
    private static readonly string[] Kinds = ["leaders", "outsiders", "excluded", "participants"];

    private async Task<string> PermalinkIdAsync(string iin)
    {
        var response = await site.Client().GetAsync($"/business/{iin}");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/business/ie-", location, StringComparison.Ordinal);
        return location["/business/".Length..];
    }

    [Fact]
    public async Task EveryPublicBody_AfterImportingIins_HoldsNoFullIin()
    {
        var ids = new List<string>();
        foreach (var iin in PrivacyFixture.Iins)
            ids.Add(await PermalinkIdAsync(iin));
        List<string> urls =
        [
            "/", "/about", "/privacy", "/statistics", "/changes", "/changes?week=2021-07-05", "/feed.atom",
            "/leaders", "/outsiders", "/exclusions", "/leaders?week=2021-07-05", "/exclusions?week=2021-07-05",
            "/search?q=" + Uri.EscapeDataString("ИП"), "/search?q=" + PrivacyFixture.Leader[..6], "/api/v1/weeks", "/api/v1/weeks/2021-07-12", "/business/" + PrivacyFixture.Company,
        ];
        foreach (var kind in Kinds)
        {
            urls.Add($"/api/v1/lists/{kind}");
            urls.Add($"/api/v1/lists/{kind}?week=2021-07-05");
            urls.Add($"/lists/{kind}.csv");
            urls.Add($"/lists/{kind}.json?week=2021-07-05");
            urls.Add($"/lists/{kind}.xlsx");
        }
        foreach (var id in ids)
            urls.AddRange([$"/business/{id}", $"/business/{id}/feed.atom", $"/business/{id}/badge.svg", $"/api/v1/businesses/{id}"]);
        Assert.Equal(17 + (5 * Kinds.Length) + (4 * ids.Count), urls.Count);

        var client = site.Client();
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            foreach (var url in urls)
            {
                var address = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + language;
                var response = await client.GetAsync(address);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{address}: {(int)response.StatusCode}");
                var body = await BodyTextAsync(response);
                foreach (var iin in PrivacyFixture.Iins)
                    Assert.False(body.Contains(iin, StringComparison.Ordinal), $"{address} shows the IIN {iin} in full");
            }
        }
    }

    [Fact]
    public async Task Lists_ShowIinMaskedBesideTheName_AndBinInFull()
    {
        var page = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/leaders"));
        var rows = page.AllByTestId("list-row");

        Assert.Equal(2, rows.Count);
        var individual = rows.Single(r => r.ByTestId("business-link").Text() == "ИП Иванов");
        Assert.Equal("********" + PrivacyFixture.Leader[8..], individual.QuerySelector("td.bin")!.Text());
        Assert.Equal(await PermalinkIdAsync(PrivacyFixture.Leader), individual.GetAttribute("data-id"));
        var company = rows.Single(r => r.ByTestId("business-link").Text() == "ТОО «Достар»");
        Assert.Equal(PrivacyFixture.Company, company.QuerySelector("td.bin")!.Text());
        Assert.Equal("/business/" + PrivacyFixture.Company, company.ByTestId("business-link").GetAttribute("href"));
    }

    [Fact]
    public async Task Downloads_AndApi_GiveMaskedNumberAndPublicId()
    {
        var id = await PermalinkIdAsync(PrivacyFixture.Leader);
        var masked = PersonalNumbers.Shown(PrivacyFixture.Leader);

        var csv = await site.Client().GetStringAsync("/lists/leaders.csv");
        using var api = JsonDocument.Parse(await site.Client().GetStringAsync("/api/v1/lists/leaders"));
        using var business = JsonDocument.Parse(await site.Client().GetStringAsync($"/api/v1/businesses/{id}"));

        Assert.Contains($"2021-07-12;{masked};ИП Иванов;", csv, StringComparison.Ordinal);
        var item = api.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "ИП Иванов");
        Assert.Equal(masked, item.GetProperty("bin").GetString());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal(masked, business.RootElement.GetProperty("bin").GetString());
        Assert.Equal(id, business.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Permalink_IsTheSameInEveryWeek_AndTheOldAddressesMoveToIt()
    {
        var id = await PermalinkIdAsync(PrivacyFixture.Outsider);
        var earlier = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/outsiders?week=2021-07-05"));
        var later = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/exclusions?week=2021-07-12"));

        Assert.Equal(id, earlier.AllByTestId("list-row").Single().GetAttribute("data-id"));
        Assert.Equal(id, later.AllByTestId("list-row").Single().GetAttribute("data-id"));
        foreach (var (old, moved) in new[]
        {
            ($"/api/v1/businesses/{PrivacyFixture.Outsider}", $"/api/v1/businesses/{id}"),
            ($"/business/{PrivacyFixture.Outsider}/feed.atom", $"/business/{id}/feed.atom"),
            ($"/business/{PrivacyFixture.Outsider}/badge.svg", $"/business/{id}/badge.svg"),
        })
        {
            var response = await site.Client().GetAsync(old);
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal(moved, response.Headers.Location!.OriginalString);
        }
        var page = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync($"/business/{id}"));
        Assert.Equal("ИП Петрова", page.ByTestId("business-name").Text());
        Assert.Equal(PersonalNumbers.Shown(PrivacyFixture.Outsider), page.ByTestId("bin").ChildNodes[0].TextContent.Trim());
        Assert.Equal("/privacy", page.ByTestId("masked-note").GetAttribute("href"));
    }

    [Fact]
    public async Task Search_FindsAnIndividualByTheFullIinOnly()
    {
        var full = await site.Client().GetAsync("/search?q=" + Uri.EscapeDataString(PrivacyFixture.Leader[..6] + " " + PrivacyFixture.Leader[6..]));
        var prefix = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/search?q=" + PrivacyFixture.Leader[..11]));
        var listPrefix = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/leaders?q=" + PrivacyFixture.Leader[..6]));
        var listFull = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/leaders?q=" + PrivacyFixture.Leader));
        var company = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/search?q=" + PrivacyFixture.Company[..6]));

        Assert.Equal(HttpStatusCode.Redirect, full.StatusCode);
        Assert.Equal("/business/" + await PermalinkIdAsync(PrivacyFixture.Leader), full.Headers.Location!.OriginalString);
        Assert.Equal("ИП Иванов", listFull.AllByTestId("list-row").Single().ByTestId("business-link").Text());
        Assert.Empty(prefix.AllByTestId("search-hit"));
        Assert.Empty(listPrefix.AllByTestId("list-row"));
        Assert.Equal(PrivacyFixture.Company, company.AllByTestId("search-hit").Single().GetAttribute("data-bin"));
    }

    [Fact]
    public async Task UnknownIin_IsRepeatedMasked_OutsideTheRequestersOwnAddress()
    {
        var unknown = ExportBuilder.IinFor(999);

        var business = await site.Client().GetAsync($"/business/{unknown}");
        var search = await site.Client().GetAsync($"/search?q={unknown}");

        Assert.Equal(HttpStatusCode.NotFound, business.StatusCode);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        // The page's own address comes back in its links to itself in another language or reading mode.
        foreach (var (response, ownAddress) in new[] { (business, $"/business/{unknown}?"), (search, $"/search?q={unknown}&amp;") })
        {
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(PersonalNumbers.Shown(unknown), html, StringComparison.Ordinal);
            var elsewhere = html.Replace(ownAddress + "lang=", "", StringComparison.Ordinal).Replace(ownAddress + "view=", "", StringComparison.Ordinal);
            Assert.DoesNotContain(unknown, elsewhere, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StaffWeekReview_ShowsTheFullNumber()
    {
        using var staff = await StaffSession.SignedInAsync(site.Site, "privacy-review@example.kz");

        var review = await staff.Client.GetStringAsync("/staff/weeks/2021-07-12");

        Assert.Contains(PrivacyFixture.Outsider, review, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru", "Персональные данные в реестре")]
    [InlineData("kk", "Тізілімдегі дербес деректер")]
    [InlineData("en", "Personal data in the registry")]
    public async Task PrivacyPage_InEachLanguage_IsLinkedFromTheFooter(string language, string title)
    {
        var home = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/?lang=" + language));
        var privacy = await new HtmlParser().ParseDocumentAsync(await site.Client().GetStringAsync("/privacy?lang=" + language));

        Assert.Equal("/privacy", home.ByTestId("privacy-link").GetAttribute("href"));
        Assert.Equal(title, privacy.QuerySelector("h1")!.Text());
        Assert.Contains("********5678", privacy.ByTestId("privacy-masked").Text(), StringComparison.Ordinal);
    }

    /// <summary>The body as text; a workbook's parts are read out of its zip.</summary>
    private static async Task<string> BodyTextAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length < 2 || bytes[0] != 'P' || bytes[1] != 'K')
            return Encoding.UTF8.GetString(bytes);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var text = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(await reader.ReadToEndAsync());
        }
        Assert.Contains("sheet1.xml", text.ToString(), StringComparison.Ordinal);
        return text.ToString();
    }
}
