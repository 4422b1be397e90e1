using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>
/// The public pages on a common phone (360 × 740) in each language: nothing scrolls sideways, a row's
/// name has room to be read, and the first row's status is on the screen. Each page is photographed
/// into the test output's phone-screenshots folder, to be looked at.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class PhoneLayoutTests(SiteFixture site)
{
    public const int Width = 360;
    public const int Height = 740;
    private const int ReadableNameWidth = 120;

    private static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "phone-screenshots");

    private async Task<IPage> OpenAsync(string path, string language)
    {
        var page = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = Width, Height = Height });
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await page.GotoAsync($"{path}{separator}lang={language}");
        return page;
    }

    internal static async Task ScreenshotAsync(IPage page, string name, string language)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var file = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')).Trim('_');
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{(file.Length == 0 ? "home" : file)}-{language}.png") });
    }

    /// <summary>What a reader on the phone cannot see or read, as sentences; empty when the page fits.</summary>
    internal static Task<string[]> LayoutFaultsAsync(IPage page) => page.EvaluateAsync<string[]>($$"""
        () => {
          const faults = [];
          const width = window.innerWidth;
          const describe = e => e.tagName.toLowerCase() + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
          const pageWidth = document.scrollingElement.scrollWidth;
          if (pageWidth > width) {
            const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1).slice(0, 4).map(describe);
            faults.push(`the page is ${pageWidth}px wide on a ${width}px screen: ${wide.join(', ')}`);
          }
          for (const box of document.querySelectorAll('main *')) {
            const style = getComputedStyle(box);
            if (box.clientWidth > 1 && (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') && box.scrollWidth > box.clientWidth + 1)
              faults.push(`${describe(box)} hides ${box.scrollWidth - box.clientWidth}px sideways`);
          }
          for (const card of document.querySelectorAll('.figure'))
            for (const part of card.children)
              if (part.getBoundingClientRect().right > card.getBoundingClientRect().right + 1 || part.scrollWidth > part.clientWidth + 1)
                faults.push(`${describe(part)} spills out of its card`);
          const rows = [...document.querySelectorAll('[data-testid=list-row], [data-testid=history-row], [data-testid=top-category]')];
          for (const row of rows.slice(0, 10)) {
            const name = row.querySelector('th');
            if (name && name.getBoundingClientRect().width < {{ReadableNameWidth}})
              faults.push(`a row's name box is ${Math.round(name.getBoundingClientRect().width)}px wide`);
          }
          const first = rows.find(r => r.querySelector('[data-testid=status], [data-testid=reason]'));
          if (first) {
            const status = first.querySelector('[data-testid=status], [data-testid=reason]').getBoundingClientRect();
            if (status.left < 0 || status.right > width + 1)
              faults.push(`the first row's status is at ${Math.round(status.left)}–${Math.round(status.right)}px, outside the ${width}px screen`);
          }
          return faults;
        }
        """);

    public static TheoryData<string, string> Pages()
    {
        var pages = new[]
        {
            "/", "/leaders", "/outsiders", "/exclusions", "/participants", "/changes", "/changes?section=newcomers&page=2", "/search?q=кафе",
            "/statistics", "/about", "/no-such-page", "/?view=large", "/leaders?view=large", "/statistics?view=large",
            "/reports", "/reports/2021-07", "/reports/2021", "/reports/2021-07?view=large", "/data",
        };
        var data = new TheoryData<string, string>();
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            foreach (var path in pages)
                data.Add(path, language);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PublicPage_OnAPhone_FitsTheScreenAndShowsEachRowWhole(string path, string language)
    {
        var page = await OpenAsync(path, language);

        var faults = await LayoutFaultsAsync(page);
        await ScreenshotAsync(page, path, language);

        Assert.True(faults.Length == 0, string.Join("\n", faults));
    }

    [Theory]
    [InlineData("/staff/jobs", "ru")]
    [InlineData("/staff/jobs", "kk")]
    [InlineData("/staff/jobs", "en")]
    [InlineData("/staff/audit", "ru")]
    [InlineData("/staff/audit", "kk")]
    [InlineData("/staff/audit", "en")]
    public async Task StaffJobsAndAuditLog_OnAPhone_FitTheScreen_EachCellWideEnoughToRead(string path, string language)
    {
        var page = await OpenAsync("/staff/login", language);
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await page.GotoAsync($"{path}?lang={language}");

        var faults = await LayoutFaultsAsync(page);
        // A cell squeezed into a column a few letters wide is what the jobs page showed before its rows became blocks.
        var narrowCells = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main td, main dd')].filter(c => c.textContent.trim().length > 3 && c.getBoundingClientRect().width < 200)"
            + ".slice(0, 4).map(c => `${c.textContent.trim().slice(0, 40)} (${Math.round(c.getBoundingClientRect().width)}px)`)");
        await ScreenshotAsync(page, path, language);

        Assert.True(faults.Length == 0, string.Join("\n", faults));
        Assert.True(narrowCells.Length == 0, "cells too narrow to read: " + string.Join("; ", narrowCells));
        Assert.True(await page.Locator("main td").CountAsync() > 0);
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task BusinessWeekPermalink_WithItsCitation_OnAPhone_FitsTheScreen(string language)
    {
        var page = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = Width, Height = Height });
        var business = await AccessibilityTests.FirstBusinessAsync(page);
        await page.GotoAsync($"{business}?lang={language}");
        var week = await page.Locator($"[data-testid=week-link][href^='{business}/']").First.GetAttributeAsync("href");
        await page.GotoAsync(week!);

        var faults = await LayoutFaultsAsync(page);
        await ScreenshotAsync(page, "/business-week", language);

        Assert.Matches("/\\d{4}-\\d{2}-\\d{2}$", page.Url);
        Assert.True(faults.Length == 0, string.Join("\n", faults));
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task ReplyForm_WithItsErrors_AndTheModerationPage_OnAPhone_FitTheScreen(string language)
    {
        var page = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = Width, Height = Height });
        var business = await AccessibilityTests.FirstBusinessAsync(page);
        await page.GotoAsync($"{business}/reply?lang={language}");
        await page.GetByTestId("reply-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reply-errors")).ToBeVisibleAsync();
        var formFaults = await LayoutFaultsAsync(page);
        await ScreenshotAsync(page, "/business-reply", language);

        await page.GotoAsync($"/staff/login?lang={language}");
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal));
        await page.GotoAsync($"/staff/replies?lang={language}");
        var staffFaults = await LayoutFaultsAsync(page);
        await ScreenshotAsync(page, "/staff/replies", language);

        Assert.True(formFaults.Length == 0, string.Join("\n", formFaults));
        Assert.True(staffFaults.Length == 0, string.Join("\n", staffFaults));
    }

    [Fact]
    public async Task StaffAuditLog_OnAWideScreen_WrapsItsDetailsInsideThePage()
    {
        var page = await site.NewPageAsync(viewport: new ViewportSize { Width = 1280, Height = 800 });
        await page.GotoAsync("/staff/login?lang=en");
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await page.GotoAsync("/staff/audit?lang=en");

        var overflow = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('[data-testid=audit] td')].filter(c => c.getBoundingClientRect().right > window.innerWidth + 1 || c.scrollWidth > c.clientWidth + 1)"
            + ".slice(0, 4).map(c => c.textContent.trim().slice(0, 60))");
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "staff-audit-1280-en.png") });

        Assert.Equal(1280, await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth"));
        Assert.True(overflow.Length == 0, "cut off: " + string.Join("; ", overflow));
        Assert.True(await page.GetByTestId("audit-sentence").CountAsync() > 0);
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task BusinessPage_OfAnExcludedBusiness_OnAPhone_ShowsTheReasonOfItsExcludedWeek(string language)
    {
        var page = await OpenAsync("/exclusions?week=2021-07-19&sort=scans-asc", language);
        var href = await page.GetByTestId("business-link").First.GetAttributeAsync("href");
        await page.GotoAsync($"{href}?lang={language}");

        var excluded = page.Locator("[data-testid=history-row][data-status=excluded]").First;
        var reason = excluded.GetByTestId("reason");
        var box = await reason.BoundingBoxAsync();
        var faults = await LayoutFaultsAsync(page);
        await excluded.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "business-excluded", language);

        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= Width, $"The reason is at {box.X}–{box.X + box.Width}px on a {Width}px screen.");
        Assert.NotEmpty((await reason.InnerTextAsync()).Trim());
        Assert.True(faults.Length == 0, string.Join("\n", faults));
    }

    [Theory]
    [InlineData("/leaders", "ru")]
    [InlineData("/outsiders", "kk")]
    [InlineData("/exclusions", "en")]
    public async Task List_OnAPhone_StartsItsResultsOnTheFirstScreen_WithTheFilterFolded(string path, string language)
    {
        var page = await OpenAsync(path, language);

        var firstRow = await page.GetByTestId("list-row").First.BoundingBoxAsync();
        var filterOpen = await page.GetByTestId("filter-panel").EvaluateAsync<bool>("d => d.open");
        await page.GetByTestId("filter-summary").ClickAsync();
        var weekVisible = await page.Locator("#week").IsVisibleAsync();

        Assert.NotNull(firstRow);
        Assert.False(filterOpen);
        Assert.True(firstRow.Y < Height, $"The first row starts at {firstRow.Y}px, below the {Height}px screen.");
        Assert.True(weekVisible, "The filter does not open from its summary.");
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task LargeVersion_WithoutJavaScript_IsChosenByItsLinkAndKeptFromPageToPage(string language)
    {
        var context = await site.Browser.NewContextAsync(new()
        {
            BaseURL = site.BaseUrl,
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            IsMobile = true,
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/leaders?lang={language}");
        var standardSize = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize)");

        await page.GetByTestId("view-switch").ClickAsync();
        await page.GotoAsync("/statistics");
        var largeSize = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('main')).fontSize)");
        var view = await page.GetAttributeAsync("html", "data-view");
        var faults = await LayoutFaultsAsync(page);
        await ScreenshotAsync(page, "statistics-large-nojs", language);
        await page.GetByTestId("view-switch").ClickAsync();
        var back = await page.GetAttributeAsync("html", "data-view");
        await context.CloseAsync();

        Assert.Equal("large", view);
        Assert.True(largeSize >= standardSize * 1.2, $"The large version's text is {largeSize}px against {standardSize}px.");
        Assert.Equal("standard", back);
        Assert.True(faults.Length == 0, string.Join("\n", faults));
    }

    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    public async Task Changes_FirstView_IsUnderAHundredKilobytes(string language)
    {
        var page = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = Width, Height = Height });

        var response = await page.GotoAsync($"/changes?week=2021-07-19&lang={language}");
        var body = await response!.BodyAsync();

        Assert.True(body.Length < 100 * 1024, $"The first view of the changes is {body.Length:N0} bytes.");
    }
}
