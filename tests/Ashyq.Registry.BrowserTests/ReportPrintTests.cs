using System.Globalization;
using Microsoft.Playwright;
using PdfSharp.Pdf.IO;

namespace Ashyq.Registry.BrowserTests;

/// <summary>The demo's reports printed by Chromium to A4, their figures read off the screen against the weekly pages.</summary>
[Collection(SiteCollection.Name)]
public sealed class ReportPrintTests(SiteFixture site)
{
    private static readonly string PrintedFolder = Path.Combine(AppContext.BaseDirectory, "printed-reports");

    [Theory]
    [InlineData("2021-07", "ru", 3)]
    [InlineData("2021-Q2", "kk", 4)]
    [InlineData("2021", "en", 7)]
    public async Task Report_PrintedToA4_HasNoSiteFrame_ARunningHeader_AndTheWeeklyPagesFigures(string period, string language, int weeks)
    {
        var page = await site.NewPageAsync();
        var response = await page.GotoAsync($"/reports/{period}?lang={language}");
        Assert.Equal(200, response!.Status);

        // On screen: each published week's figures as its statistics page gives them.
        var rows = await page.Locator("[data-testid=table-weeks] tbody tr").AllAsync();
        Assert.Equal(weeks, rows.Count);
        foreach (var row in rows)
        {
            var href = await row.Locator("th a").GetAttributeAsync("href") ?? throw new InvalidOperationException("A week row links nowhere.");
            var week = href[(href.IndexOf("week=", StringComparison.Ordinal) + 5)..];
            var shown = await row.Locator("td[data-testid=cell-participants]").InnerTextAsync();
            var outsiders = await row.Locator("td[data-testid=cell-outsiders]").InnerTextAsync();
            var statistics = await site.NewPageAsync();
            await statistics.GotoAsync($"/statistics?week={week}&lang={language}");
            var statRow = statistics.Locator($"[data-testid=row-week][data-week='{week}'] td");
            Assert.Equal(await statRow.Nth(0).InnerTextAsync(), shown);
            Assert.Equal(await statRow.Nth(2).InnerTextAsync(), outsiders);
            await statistics.CloseAsync();
        }

        // On paper: no navigation, the period and the print date on top of the page.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator(".site-nav").IsVisibleAsync());
        Assert.False(await page.Locator("[data-testid=report-downloads]").IsVisibleAsync());
        Assert.True(await page.Locator("[data-testid=print-running]").IsVisibleAsync());
        Assert.Contains(period[..4], await page.Locator("[data-testid=print-running]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotEmpty((await page.Locator("[data-testid=print-date]").InnerTextAsync()).Trim());

        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true, PreferCSSPageSize = true });
        // Kept beside the phone screenshots, to be looked at.
        Directory.CreateDirectory(PrintedFolder);
        await File.WriteAllBytesAsync(Path.Combine(PrintedFolder, $"report-{period}-{language}.pdf"), pdf);
        Assert.True(pdf.Length > 10_000, pdf.Length.ToString(CultureInfo.InvariantCulture));
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        // A page for the title and one at least for each of the ten sections, each starting a page; no runaway.
        Assert.InRange(document.PageCount, 10, 40);
        Assert.Equal(595, (int)Math.Round(document.Pages[0].Width.Point));
        Assert.Equal(842, (int)Math.Round(document.Pages[0].Height.Point));
    }
}
