using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

[Collection(SiteCollection.Name)]
public sealed class AccessibilityTests(SiteFixture site)
{
    /// <summary>A page with known faults: if the scanner found nothing here, the scans below would prove nothing.</summary>
    [Fact]
    public async Task Scanner_OnACanaryPageWithFaults_ReportsThem()
    {
        var page = await site.NewPageAsync();
        await page.SetContentAsync("""<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"><a href="#"></a></body></html>""");

        var violations = await Accessibility.ScanAsync(page);

        Assert.Contains(violations, v => v.Id == "image-alt");
        Assert.Contains(violations, v => v.Id == "html-has-lang");
        Assert.Contains(violations, v => v.Id == "label");
    }

    public static TheoryData<string, string> PublicPages()
    {
        var pages = new[] { "/", "/leaders", "/outsiders", "/exclusions", "/statistics", "/search?q=кафе", "/changes", "/about", "/staff/login", "/business/000000000000", "/no-such-page", "/reports", "/reports/2021-07", "/reports/2021-Q2", "/reports/2021", "/reports/1999", "/data" };
        var data = new TheoryData<string, string>();
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            foreach (var path in pages)
                data.Add(path, language);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PublicPages))]
    public async Task PublicPage_InEachLanguage_HasNoAccessibilityViolations(string path, string language)
    {
        var page = await site.NewPageAsync();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var response = await page.GotoAsync($"{path}{separator}lang={language}");

        var violations = await Accessibility.ScanAsync(page);

        // An accessible error page in the right language would pass the scan alone: the page must also be the page asked for.
        var expectedStatus = path is "/no-such-page" or "/business/000000000000" or "/reports/1999" ? 404 : 200;
        Assert.Equal(expectedStatus, response!.Status);
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        Assert.True(violations.Count == 0, Accessibility.Describe(violations));
    }

    public static TheoryData<string, string> LargeVersionPages()
    {
        var pages = new[] { "/", "/leaders", "/exclusions", "/statistics", "/search?q=кафе", "/changes", "/about", "/no-such-page" };
        var data = new TheoryData<string, string>();
        foreach (var language in new[] { "ru", "kk", "en" })
        {
            foreach (var path in pages)
                data.Add(path, language);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LargeVersionPages))]
    public async Task PublicPage_InTheVersionForTheVisuallyImpaired_HasNoAccessibilityViolations(string path, string language)
    {
        var page = await site.NewPageAsync();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await page.GotoAsync($"{path}{separator}lang={language}&view=large");

        var violations = await Accessibility.ScanAsync(page);

        Assert.Equal("large", await page.GetAttributeAsync("html", "data-view"));
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        Assert.True(violations.Count == 0, Accessibility.Describe(violations));
    }

    [Fact]
    public async Task BusinessPage_OfADemoBusiness_HasNoAccessibilityViolations()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/leaders");
        var first = page.Locator("main a[href^='/business/']").First;
        await first.ClickAsync();

        var violations = await Accessibility.ScanAsync(page);

        Assert.Matches("/business/(\\d{12}|ie-[0-9a-f]{16})$", page.Url);
        Assert.True(violations.Count == 0, Accessibility.Describe(violations));
    }

    [Theory]
    [MemberData(nameof(ReplyLanguages))]
    public async Task BusinessWeekPermalink_WithItsCitation_HasNoAccessibilityViolations(string language)
    {
        var page = await site.NewPageAsync();
        var business = await FirstBusinessAsync(page);
        await page.GotoAsync($"{business}?lang={language}");
        var week = await page.Locator($"[data-testid=week-link][href^='{business}/']").First.GetAttributeAsync("href");
        var answer = await page.GotoAsync(week!);

        var violations = await Accessibility.ScanAsync(page);

        Assert.Equal(200, answer!.Status);
        Assert.Matches("/business/(\\d{12}|ie-[0-9a-f]{16})/\\d{4}-\\d{2}-\\d{2}$", page.Url);
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        Assert.True(violations.Count == 0, Accessibility.Describe(violations));
    }

    public static TheoryData<string> ReplyLanguages() => new() { "ru", "kk", "en" };

    [Theory]
    [MemberData(nameof(ReplyLanguages))]
    public async Task ReplyForm_BlankAndWithItsErrors_AndTheStaffModerationPage_HaveNoAccessibilityViolations(string language)
    {
        var page = await site.NewPageAsync();
        var business = await FirstBusinessAsync(page);
        var form = await page.GotoAsync($"{business}/reply?lang={language}");
        var blank = await Accessibility.ScanAsync(page);
        await page.GetByTestId("reply-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reply-errors")).ToBeVisibleAsync();
        var errors = await Accessibility.ScanAsync(page);

        Assert.Equal(200, form!.Status);
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        Assert.True(blank.Count == 0, Accessibility.Describe(blank));
        Assert.True(errors.Count == 0, Accessibility.Describe(errors));

        var staff = await site.NewPageAsync();
        await staff.GotoAsync($"/staff/login?lang={language}");
        await staff.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await staff.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await staff.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await staff.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal));
        await staff.GotoAsync($"/staff/replies?lang={language}");
        var moderation = await Accessibility.ScanAsync(staff);

        Assert.True(moderation.Count == 0, Accessibility.Describe(moderation));
    }

    /// <summary>The address of the first business the leaders' list links to.</summary>
    internal static async Task<string> FirstBusinessAsync(IPage page)
    {
        await page.GotoAsync("/leaders");
        var href = await page.Locator("main a[href^='/business/']").First.GetAttributeAsync("href");
        return href!.Split('?')[0];
    }
}
