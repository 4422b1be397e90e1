using System.Text;
using Ashyq.Registry.Testing;
using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>The main journeys of residents, journalists and staff, in a real browser against the running site.</summary>
[Collection(SiteCollection.Name)]
public sealed class JourneyTests(SiteFixture site)
{
    [Fact]
    public async Task Resident_OnAPhone_FindsABusinessByNameAndSeesItsStatus()
    {
        var page = await site.NewPageAsync(phone: true);
        await page.GotoAsync("/");

        await page.GetByTestId("search-form").Locator("input[name=q]").FillAsync("демо-кафе");
        await page.GetByTestId("search-form").Locator("button[type=submit]").ClickAsync();
        await page.GetByTestId("search-hit").First.Locator("a").First.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/business/(\\d{12}|ie-[0-9a-f]{16})$"));
        await Assertions.Expect(page.GetByTestId("business-name")).ToContainTextAsync("Демо-кафе");
        await Assertions.Expect(page.GetByTestId("current-status")).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var widest = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320).map(e => e.tagName + '.' + e.className).slice(0, 5).join(', ')");
        Assert.True(width <= 320, $"The page is {width}px wide on a 320px screen: {widest}");
    }

    [Fact]
    public async Task Business_OnAPhone_RepliesToItsWeek_StaffPublish_AndThePageShowsItAsTheBusinesssOwnWords()
    {
        var statement = $"Мы сканируем каждого гостя <b>{Guid.NewGuid():N}</b> =HYPERLINK(\"x\")\nҚұрметпен, әкімшілік";
        var resident = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = PhoneLayoutTests.Width, Height = PhoneLayoutTests.Height });
        var business = await AccessibilityTests.FirstBusinessAsync(resident);
        await resident.GotoAsync($"{business}?lang=kk");
        await resident.GetByTestId("reply-link").ClickAsync();
        await resident.Locator("#reply-name").FillAsync("Айгүл Серікқызы");
        await resident.Locator("#reply-role").FillAsync("директор");
        await resident.Locator("#reply-email").FillAsync("aigul@example.kz");
        await resident.Locator("#reply-statement").FillAsync(statement);
        var width = await resident.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await resident.GetByTestId("reply-submit").ClickAsync();
        await Assertions.Expect(resident.GetByTestId("reply-sent")).ToBeVisibleAsync();
        Assert.True(width <= PhoneLayoutTests.Width, $"The reply form is {width}px wide on a {PhoneLayoutTests.Width}px screen");

        var staff = await site.NewPageAsync();
        await staff.GotoAsync("/staff/login?lang=ru");
        await staff.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await staff.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await staff.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await staff.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal));
        await staff.GotoAsync("/staff/replies");
        var mine = staff.Locator("[data-testid=staff-reply][data-state=pending]").Filter(new() { HasText = "Айгүл Серікқызы" }).First;
        await Assertions.Expect(mine.GetByTestId("reply-email")).ToHaveTextAsync("aigul@example.kz");
        await mine.GetByTestId("reply-publish").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("replies-done")).ToBeVisibleAsync();

        // The node drops its cached page when the notification arrives, a moment after the decision.
        var shown = resident.GetByTestId("reply-text").Filter(new() { HasText = "Құрметпен, әкімшілік" });
        for (var attempt = 0; attempt < 50 && await shown.CountAsync() == 0; attempt++)
        {
            await resident.GotoAsync($"{business}?lang=kk");
            if (await shown.CountAsync() == 0)
                await Task.Delay(200);
        }
        await Assertions.Expect(shown).ToHaveTextAsync(statement);
        await Assertions.Expect(resident.GetByTestId("reply").Locator("b")).ToHaveCountAsync(0);
        await Assertions.Expect(resident.GetByTestId("reply-unverified").First).ToBeVisibleAsync();
        await Assertions.Expect(resident.Locator("main")).Not.ToContainTextAsync("aigul@example.kz");
        width = await resident.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= PhoneLayoutTests.Width, $"The business page with the reply is {width}px wide on a {PhoneLayoutTests.Width}px screen");
    }

    [Fact]
    public async Task Journalist_OnTheHomePage_SeesThePressConferencesFiveKindsOfActivity_AndOtherApart()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/?lang=en");

        var rows = page.GetByTestId("top-category");
        var ranking = new List<(string?, string)>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var digits = new string((await rows.Nth(i).GetByTestId("participants").InnerTextAsync()).Where(char.IsAsciiDigit).ToArray());
            ranking.Add((await rows.Nth(i).GetAttributeAsync("data-code"), digits));
        }

        Assert.Equal([("catering", "2242"), ("markets", "1117"), ("beauty", "835"), ("children", "491"), ("fitness", "426")], ranking);
        await Assertions.Expect(page.GetByTestId("other-category")).ToContainTextAsync("Other");
    }

    [Fact]
    public async Task Resident_SwitchesToKazakh_AndTheChoiceStaysOnTheNextPage()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/leaders");
        Assert.Equal("ru", await page.GetAttributeAsync("html", "lang"));

        await page.GetByTestId("lang-kk").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "kk");
        await page.GotoAsync("/statistics");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "kk");
        await Assertions.Expect(page.GetByTestId("lang-ru")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Journalist_DownloadsTheLeadersList_AsCsv()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/leaders?week=2021-07-19");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-csv").ClickAsync());
        var path = await download.PathAsync();

        var lines = await File.ReadAllLinesAsync(path!, Encoding.UTF8);
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Equal(153, lines.Length); // a header and the demo's 152 leaders of that week
    }
}

/// <summary>Journeys that change what the public sees, on a site of their own.</summary>
[Collection(ChangingSiteCollection.Name)]
public sealed class StaffJourneyTests(ChangingSiteFixture site)
{
    [Fact]
    public async Task Staff_UploadsAWeek_WatchesItLoad_ReviewsAndPublishes_ThenThePublicSeesIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ashyq-browser-{Guid.NewGuid():N}.csv");
        var newcomer = ExportBuilder.BinFor(987_654);
        await File.WriteAllBytesAsync(file, new ExportBuilder()
            .Row(newcomer, "лидер", name: "Кофейня «Браузерный тест»", category: "Кофейня")
            .Row(ExportBuilder.BinFor(987_655), "участник", name: "Кафе «Второе»")
            .ToBytes());
        try
        {
            var page = await site.NewPageAsync();
            await page.GotoAsync("/staff/login");
            await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
            await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
            await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();

            await page.GotoAsync("/staff/imports/new");
            await page.Locator("input[name=File]").SetInputFilesAsync(file);
            await page.Locator("input[name=WeekStart]").FillAsync("2021-05-31");
            await page.GetByTestId("upload-form").Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(page.GetByTestId("import-loaded")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("rows-loaded")).ToContainTextAsync("2");

            await page.GotoAsync("/staff/weeks/2021-05-31");
            await page.GetByTestId("publish-form").Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(page.GetByTestId("week-status")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("(?i)опубликован|published|жарияланды"));

            var resident = await site.NewPageAsync();
            await resident.GotoAsync($"/business/{newcomer}");
            await Assertions.Expect(resident.GetByTestId("business-name")).ToContainTextAsync("Браузерный тест");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
