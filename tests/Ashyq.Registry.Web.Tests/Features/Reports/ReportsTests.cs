using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Dom;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace Ashyq.Registry.Web.Tests.Features.Reports;

/// <summary>A report's row as the page gives it: each column's text and, for a number, its value.</summary>
public sealed record ReportRow(IReadOnlyDictionary<string, string> Text, IReadOnlyDictionary<string, string?> Value, string? Href);

public sealed class ReportsTests(ReportSiteFixture site) : IClassFixture<ReportSiteFixture>
{
    public static IReadOnlyList<ReportRow> Rows(IDocument page, string table) =>
        [.. page.ByTestId("table-" + table).QuerySelectorAll("tbody tr").Select(tr =>
        {
            var cells = tr.Children.ToList();
            return new ReportRow(
                cells.ToDictionary(c => c.GetAttribute("data-testid")![5..], c => c.Text()),
                cells.ToDictionary(c => c.GetAttribute("data-testid")![5..], c => c.GetAttribute("data-value")),
                cells[0].QuerySelector("a")?.GetAttribute("href"));
        })];

    private static readonly string[] TrendFields = ["participants", "leaders", "outsiders", "excluded"];

    private static string WeekOf(ReportRow row)
    {
        var href = row.Href ?? throw new InvalidOperationException("The row links to no week.");
        return href[(href.IndexOf("week=", StringComparison.Ordinal) + 5)..];
    }

    private async Task<JsonElement> JsonAsync(string url)
    {
        using var client = site.Client();
        return JsonDocument.Parse(await client.GetStringAsync(url)).RootElement;
    }

    [Theory]
    [InlineData("2021-07")]
    [InlineData("2021-Q3")]
    [InlineData("2021")]
    public async Task Report_EveryFigure_EqualsTheWeeklyPagesAndApiOfItsWeeks(string period)
    {
        var report = await site.PageAsync($"/reports/{period}?lang=en");
        var weeks = Rows(report, "weeks");
        var start = period == "2021-07" ? new DateOnly(2021, 7, 1) : period == "2021-Q3" ? new DateOnly(2021, 7, 1) : new DateOnly(2021, 1, 1);
        var end = period == "2021-07" ? new DateOnly(2021, 7, 31) : new DateOnly(2021, 12, 31);

        var api = (await JsonAsync("/api/v1/weeks")).GetProperty("items").EnumerateArray()
            .Where(w => DateOnly.Parse(w.GetProperty("weekStart").GetString()!, CultureInfo.InvariantCulture) is var d && d >= start && d <= end)
            .OrderBy(w => w.GetProperty("weekStart").GetString(), StringComparer.Ordinal)
            .ToList();
        Assert.Equal(api.Select(w => w.GetProperty("weekStart").GetString()), weeks.Select(WeekOf));
        Assert.Equal(api.Count.ToString(CultureInfo.InvariantCulture), report.ByTestId("weeks-published").GetAttribute("data-count"));

        long reportedFlagged = 0;
        var notReported = 0;
        foreach (var (row, week) in weeks.Zip(api))
        {
            var key = week.GetProperty("weekStart").GetString()!;
            var one = await JsonAsync("/api/v1/weeks/" + key);
            foreach (var (column, field) in new[] { ("participants", "participants"), ("leaders", "leaders"), ("outsiders", "outsiders"), ("excluded", "excluded") })
                Assert.Equal(one.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture), row.Value[column]);
            if (one.GetProperty("flaggedVisitors").ValueKind == JsonValueKind.Null)
            {
                Assert.True(string.IsNullOrEmpty(row.Value["flagged"]), row.Value["flagged"]);
                Assert.Equal("Not reported", row.Text["flagged"]);
                notReported++;
            }
            else
            {
                Assert.Equal(one.GetProperty("flaggedVisitors").GetInt64().ToString(CultureInfo.InvariantCulture), row.Value["flagged"]);
                reportedFlagged += one.GetProperty("flaggedVisitors").GetInt64();
            }

            var statistics = await site.PageAsync($"/statistics?week={key}&lang=en");
            var statRow = statistics.QuerySelector($"[data-testid=row-week][data-week='{key}']")!;
            Assert.Equal(statRow.GetAttribute("data-participants"), row.Value["participants"]);
            var statCells = statRow.QuerySelectorAll("td").Select(c => c.Text()).ToList();
            Assert.Equal(statCells[0..4], [row.Text["participants"], row.Text["leaders"], row.Text["outsiders"], row.Text["excluded"]]);

            var excludedList = await JsonAsync($"/api/v1/lists/excluded?week={key}&pageSize=200");
            var items = excludedList.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(items.Count(i => i.GetProperty("exclusionSource").GetString() == "rule").ToString(CultureInfo.InvariantCulture), row.Value["excludedByRule"]);
            Assert.Equal(items.Count(i => i.GetProperty("exclusionSource").GetString() != "rule").ToString(CultureInfo.InvariantCulture), row.Value["excludedByFile"]);
        }

        // Movements: each week's counts as its changes page gives them, and their sum.
        var movements = Rows(report, "movements");
        var totals = new Dictionary<string, long>();
        foreach (var row in movements.SkipLast(1))
        {
            var changes = await site.PageAsync($"/changes?week={WeekOf(row)}&lang=en");
            foreach (var kind in new[] { "leaders", "outsiders", "excluded-file", "excluded-rule", "readmitted", "newcomers", "departures" })
            {
                Assert.Equal(changes.ByTestId("count-" + kind).Text(), row.Text[kind]);
                totals[kind] = totals.GetValueOrDefault(kind) + long.Parse(row.Value[kind]!, CultureInfo.InvariantCulture);
            }
        }
        Assert.Equal(weeks.Select(WeekOf), movements.SkipLast(1).Select(WeekOf));
        foreach (var (kind, total) in totals)
            Assert.Equal(total.ToString(CultureInfo.InvariantCulture), movements[^1].Value[kind]);

        // At the start and the end: the first and the last week's figures, and the change between them.
        var trend = Rows(report, "trend");
        var first = await JsonAsync("/api/v1/weeks/" + WeekOf(weeks[0]));
        var last = await JsonAsync("/api/v1/weeks/" + WeekOf(weeks[^1]));
        foreach (var (row, field) in trend.Zip(TrendFields))
        {
            Assert.Equal(first.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture), row.Value["start"]);
            Assert.Equal(last.GetProperty(field).GetInt32().ToString(CultureInfo.InvariantCulture), row.Value["end"]);
            Assert.Equal((last.GetProperty(field).GetInt32() - first.GetProperty(field).GetInt32()).ToString(CultureInfo.InvariantCulture), row.Value["change"]);
        }
        Assert.Equal(weeks.Count, report.ByTestId("chart-report-trend").QuerySelectorAll("[data-series=participants] .chart-point").Length);

        // Categories and districts at the start and the end, as the statistics page of each of those weeks gives them.
        foreach (var (table, statistics) in new[] { ("categories", "table-category"), ("districts", "table-district") })
        {
            var rows = Rows(report, table);
            foreach (var (column, week) in new[] { ("start", WeekOf(weeks[0])), ("end", WeekOf(weeks[^1])) })
            {
                var page = await site.PageAsync($"/statistics?week={week}&lang=en");
                var expected = page.ByTestId(statistics).QuerySelectorAll("tbody tr")
                    .ToDictionary(r => r.QuerySelector("th")!.Text(), r => r.GetAttribute("data-participants"));
                foreach (var row in rows)
                    Assert.Equal(expected.GetValueOrDefault(row.Text["name"], "0"), row.Value[column]);
                Assert.All(expected.Keys, name => Assert.Contains(rows, r => r.Text["name"] == name));
            }
            Assert.All(rows, r => Assert.Equal(
                (long.Parse(r.Value["end"]!, CultureInfo.InvariantCulture) - long.Parse(r.Value["start"]!, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture),
                r.Value["change"]));
        }

        var flagged = Rows(report, "flagged");
        Assert.Equal(reportedFlagged.ToString(CultureInfo.InvariantCulture), flagged[0].Value["value"]);
        Assert.Equal((weeks.Count - notReported).ToString(CultureInfo.InvariantCulture), flagged[1].Value["value"]);
        Assert.Equal(notReported.ToString(CultureInfo.InvariantCulture), flagged[2].Value["value"]);
    }

    [Fact]
    public async Task MonthReport_AWeekBelongsToTheMonthOfItsMonday_WithdrawnLeftOut_ReplacedCountedOnceAsItIsNow()
    {
        var june = await site.PageAsync("/reports/2021-06?lang=en");
        var july = await site.PageAsync("/reports/2021-07?lang=en");

        Assert.Equal(["2021-06-28"], Rows(june, "weeks").Select(WeekOf));
        Assert.Equal(["2021-07-05", "2021-07-12", "2021-07-19"], Rows(july, "weeks").Select(WeekOf));
        Assert.Contains("its Monday falls in", july.ByTestId("monday-rule").Text(), StringComparison.Ordinal);
        var replaced = Rows(july, "weeks")[1];
        Assert.Equal("4", replaced.Value["participants"]);
        Assert.Equal("2", replaced.Value["flagged"]);

        var corrections = Rows(july, "corrections");
        Assert.Equal(["Week replaced by another file", "Week withdrawn"], corrections.Select(c => c.Text["kind"]));
        Assert.Equal([ReportSiteFixture.ReplaceReason, ReportSiteFixture.WithdrawReason], corrections.Select(c => c.Text["reason"]));
        Assert.Equal("2", corrections[0].Value["before"]);
        Assert.Equal("4", corrections[0].Value["after"]);
        Assert.Null(june.QuerySelector("[data-testid=table-corrections]"));
        Assert.Equal("There were no corrections in the period.", june.ByTestId("note-corrections").Text());

        // The readmission of D in the replaced week and the exclusions by the file and by the rule.
        var movements = Rows(july, "movements");
        Assert.Equal("1", movements[^1].Value["readmitted"]);
        Assert.Equal("1", movements[^1].Value["excluded-file"]);
        Assert.Equal("2", movements[^1].Value["excluded-rule"]);
        Assert.Contains("Excluded by the two-week rule", july.ByTestId("table-movements").QuerySelector("thead")!.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonthReport_FilesReceivedAndRefused_AndTheTimeFromUploadToPublication()
    {
        var july = await site.PageAsync("/reports/2021-07?lang=en");

        var files = Rows(july, "files");
        Assert.Equal("6", files[0].Value["value"]);
        Assert.Equal("1", files[1].Value["value"]);
        Assert.Equal("0", files[2].Value["value"]);

        var hours = new List<double>();
        await using (var dataSource = NpgsqlDataSource.Create(site.Site.ConnectionString))
        await using (var command = dataSource.CreateCommand("""
            SELECT w.week_start, i.uploaded_at, w.published_at FROM weeks w JOIN imports i ON i.id = w.import_id
            WHERE w.status = 'published' AND w.week_start BETWEEN '2021-07-01' AND '2021-07-31' ORDER BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                hours.Add(Math.Round((reader.GetFieldValue<DateTimeOffset>(2) - reader.GetFieldValue<DateTimeOffset>(1)).TotalHours, 1));
        }
        var publication = Rows(july, "publication");
        Assert.Equal(3, publication.Count);
        Assert.Equal(hours.Select(h => h.ToString(CultureInfo.InvariantCulture)), publication.Select(p => p.Value["hours"]));
        var summary = Rows(july, "publication-summary");
        Assert.Equal(hours.Order().ElementAt(1).ToString(CultureInfo.InvariantCulture), summary[0].Value["value"]);
        Assert.Equal(hours.Max().ToString(CultureInfo.InvariantCulture), summary[1].Value["value"]);
    }

    [Fact]
    public async Task Index_ListsEveryPeriodWithPublishedWeeks_AndTheFooterLinksToIt()
    {
        var index = await site.PageAsync("/reports?lang=en");
        var links = index.AllByTestId("report-link").Select(a => a.GetAttribute("href")).ToList();

        Assert.Equal(["/reports/2022", "/reports/2022-Q1", "/reports/2022-01", "/reports/2021", "/reports/2021-Q3", "/reports/2021-Q2", "/reports/2021-08", "/reports/2021-07", "/reports/2021-06"], links);
        Assert.Equal("/reports", (await site.PageAsync("/?lang=en")).ByTestId("reports-link").GetAttribute("href"));
    }

    [Theory]
    [InlineData("/reports/2021-13", "reports.notFound.malformed", "en", "Report not found")]
    [InlineData("/reports/2021-Q5", "reports.notFound.malformed", "ru", "Отчёт не найден")]
    [InlineData("/reports/июль", "reports.notFound.malformed", "kk", "Есеп табылмады")]
    [InlineData("/reports/2021-7", "reports.notFound.malformed", "en", "Report not found")]
    [InlineData("/reports/21", "reports.notFound.malformed", "en", "Report not found")]
    [InlineData("/reports/2021-07.docx", "reports.notFound.malformed", "en", "Report not found")]
    [InlineData("/reports/1999", "reports.notFound.year", "ru", "Отчёт не найден")]
    [InlineData("/reports/9999-Q1", "reports.notFound.year", "kk", "Есеп табылмады")]
    [InlineData("/reports/0000-01.pdf", "reports.notFound.year", "en", "Report not found")]
    [InlineData("/reports/2021-09", "reports.notFound.empty", "en", "Report not found")]
    [InlineData("/reports/2020.xlsx", "reports.notFound.empty", "kk", "Есеп табылмады")]
    public async Task Report_MalformedAbsurdOrEmptyPeriod_Is404WithAClearPageInTheReadersLanguage(string url, string reason, string language, string title)
    {
        var page = await site.PageAsync(url + "?lang=" + language, HttpStatusCode.NotFound);

        Assert.Equal(title, page.ByTestId("report-not-found").Text());
        Assert.Equal(reason, page.ByTestId("report-not-found-reason").GetAttribute("data-reason"));
        Assert.NotEmpty(page.AllByTestId("report-link"));
    }

    [Fact]
    public async Task Report_AddressWithMarkupOrOfGreatLength_IsAPlain404_ShowingTheAddressAsTextCutShort()
    {
        using var client = site.Client();
        var markup = await client.GetAsync("/reports/" + Uri.EscapeDataString("2021-07<script>alert(1)<b>x") + "?lang=en");
        var html = await markup.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, markup.StatusCode);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        var document = await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(html, CancellationToken.None);
        Assert.Contains("2021-07<script>alert(1)<b>x", document.ByTestId("report-not-found-reason").TextContent, StringComparison.Ordinal);
        Assert.Null(document.ByTestId("report-not-found-reason").QuerySelector("b"));
        Assert.DoesNotContain(document.QuerySelectorAll("script"), e => e.TextContent.Contains("alert", StringComparison.Ordinal));

        var page = await site.PageAsync("/reports/" + new string('9', 3000) + "?lang=en", HttpStatusCode.NotFound);
        Assert.Equal("reports.notFound.malformed", page.ByTestId("report-not-found-reason").GetAttribute("data-reason"));
        Assert.True(page.ByTestId("report-not-found-reason").Text().Length < 200);
    }

    [Fact]
    public async Task Report_StaffTextIsShownAsText()
    {
        using var client = site.Client();
        var html = await client.GetStringAsync("/reports/2021-07?lang=en");

        Assert.DoesNotContain("=HYPERLINK(\"http", html, StringComparison.Ordinal);
        Assert.Contains("=HYPERLINK(&quot;http://example.invalid&quot;) ошибка", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_HasOneSheetPerTable_WithNumbersAsNumbers_AndFormulasDefused()
    {
        using var client = site.Client();
        var response = await client.GetAsync("/reports/2021-07.xlsx?lang=ru");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ashyq-report-2021-07-ru.xlsx", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        XNamespace main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

        var sheets = XDocument.Load(zip.GetEntry("xl/workbook.xml")!.Open()).Descendants(main + "sheet").Select(s => s.Attribute("name")!.Value).ToList();
        Assert.Equal(10, sheets.Count);
        Assert.Equal("1. Опубликованные недели", sheets[0]);
        Assert.All(sheets, s => Assert.True(s.Length <= 31, s));

        var texts = zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .SelectMany(e => XDocument.Load(e.Open()).Descendants(main + "t").Select(t => t.Value)).ToList();
        Assert.Contains("Отчёт реестра Ashyq: июль 2021", texts);
        Assert.Contains("'" + ReportSiteFixture.WithdrawReason, texts);
        Assert.DoesNotContain(ReportSiteFixture.WithdrawReason, texts);

        var weeksSheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var numbers = weeksSheet.Descendants(main + "c").Where(c => c.Attribute("t") is null).Select(c => c.Element(main + "v")?.Value).ToList();
        Assert.Contains("4", numbers);
        Assert.DoesNotContain(weeksSheet.Descendants(main + "f"), _ => true);
    }

    [Fact]
    public async Task Pdf_IsA4_EmbedsDejaVuSans_WithTheKazakhLetters_AndASanePageCount()
    {
        using var client = site.Client();
        var response = await client.GetAsync("/reports/2021-Q3.pdf?lang=kk");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        using var document = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        Assert.InRange(document.PageCount, 2, 12);
        Assert.All(Enumerable.Range(0, document.PageCount), i =>
        {
            Assert.Equal(595, (int)Math.Round(document.Pages[i].Width.Point));
            Assert.Equal(842, (int)Math.Round(document.Pages[i].Height.Point));
        });
        Assert.Equal("Ashyq тізілімінің есебі: 2021 жылғы 3-тоқсан", document.Info.Title);

        var fonts = document.Pages[0].Resources.Elements.GetDictionary("/Font")!;
        var mapped = new StringBuilder();
        var embedded = false;
        foreach (var name in fonts.Elements.Keys)
        {
            var font = (PdfDictionary)((PdfReference)fonts.Elements[name]!).Value;
            Assert.Contains("+DejaVu Sans", font.Elements.GetName("/BaseFont"), StringComparison.Ordinal);
            var descendant = (PdfDictionary)((PdfReference)font.Elements.GetArray("/DescendantFonts")!.Elements[0]).Value;
            var descriptor = (PdfDictionary)((PdfReference)descendant.Elements["/FontDescriptor"]!).Value;
            embedded |= descriptor.Elements.ContainsKey("/FontFile2");
            var toUnicode = (PdfDictionary)((PdfReference)font.Elements["/ToUnicode"]!).Value;
            mapped.Append(Encoding.ASCII.GetString(toUnicode.Stream.UnfilteredValue));
        }
        Assert.True(embedded, "The font file is not embedded.");
        // Each Kazakh letter of the title and the tables maps to its own glyph: ә ғ қ ң ө ұ ү і.
        foreach (var letter in "әғқңөұүі")
            Assert.Contains(((int)letter).ToString("X4", CultureInfo.InvariantCulture), mapped.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Report_CarriesAnETag_AnswersItWith304_AndShowsANewlyPublishedWeekOfItsPeriod()
    {
        using var client = site.Client();
        client.DefaultRequestHeaders.Add("Cookie", "lang=en");
        var first = await client.GetAsync("/reports/2022-01");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.NotNull(first.Content.Headers.LastModified);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/reports/2022-01");
        again.Headers.IfNoneMatch.Add(tag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        await site.Load("2022-01-10", new Ashyq.Registry.Testing.ExportBuilder().Row(ReportSiteFixture.C, "лидер", scans: 700).Row(ReportSiteFixture.E, "участник"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        var weeks = 0;
        while (weeks != 2 && DateTime.UtcNow < deadline)
        {
            weeks = Rows(await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(await client.GetStringAsync("/reports/2022-01"), CancellationToken.None), "weeks").Count;
            if (weeks != 2)
                await Task.Delay(100);
        }
        Assert.Equal(2, weeks);
        var pdf = await client.GetAsync("/reports/2022-01.pdf");
        Assert.NotNull(pdf.Headers.ETag);
    }
}
