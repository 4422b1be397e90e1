using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>The job dashboard in the staff area, under the site's real Content-Security-Policy.</summary>
[Collection(SiteCollection.Name)]
public sealed class JobsDashboardTests(SiteFixture site)
{
    [Fact]
    public async Task Admin_OpensTheJobDashboard_EveryPageWorksWithNoPolicyViolation()
    {
        var page = await site.NewPageAsync(locale: "en-US", bypassCsp: false);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // Any policy violation anywhere, and any other error on the dashboard's own pages.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || (message.Type == "error" && page.Url.Contains("/staff/jobs/hangfire", StringComparison.Ordinal)))
                problems.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"{page.Url}: {error}");
        await page.GotoAsync("/staff/login");
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();

        await page.GotoAsync("/staff/jobs");
        await page.GetByTestId("jobs-dashboard").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/jobs/hangfire/?$"));
        // The home page draws its charts with script; give them time to run and to poll once.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("canvas").First).ToBeVisibleAsync();
        // The chart library did add its stylesheet, and the policy let it apply: the hash is the one it adds.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => [...document.querySelectorAll('head style')].some(s => s.textContent.startsWith('/* Chart.js */') && s.sheet !== null && s.sheet.cssRules.length > 0)"));
        foreach (var path in new[] { "/jobs/succeeded", "/jobs/enqueued", "/jobs/failed", "/recurring", "/servers", "/retries" })
        {
            var response = await page.GotoAsync("/staff/jobs/hangfire" + path);
            Assert.True(response!.Ok, $"{path}: {response.Status}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
