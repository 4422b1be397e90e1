using System.Text.Json;
using Ashyq.Registry.Testing;
using Microsoft.Playwright;

namespace Ashyq.Registry.BrowserTests;

/// <summary>
/// A staff member's week from upload to publication, in Russian and in Kazakh, under the second-person
/// rule: the report in that language, a review with warnings confirmed, a colleague publishing; a draft
/// discarded; the published week replaced while the public list is read over and over.
/// </summary>
[Collection(FourEyesSiteCollection.Name)]
public sealed class StaffWeekJourneyTests(FourEyesSiteFixture site)
{
    [Fact]
    public Task Staff_InRussian_PublishUnderFourEyes_DiscardADraft_ReplaceThePublishedWeek() =>
        JourneyAsync(new Language("ru", "Загружено", "Неделя опубликована", "Черновик недели отброшен", "Замена опубликована", "министерство прислало исправленный файл"),
            week: "2021-08-02", draft: "2021-08-09", rows: 20, replacementRows: 25);

    [Fact]
    public Task Staff_InKazakh_PublishUnderFourEyes_DiscardADraft_ReplaceThePublishedWeek() =>
        JourneyAsync(new Language("kk", "Жүктелді", "Апта жарияланды", "Апта жобасы алып тасталды", "Ауыстыру жарияланды", "министрлік түзетілген файл жіберді"),
            week: "2021-08-16", draft: "2021-08-23", rows: 40, replacementRows: 50);

    // The two journeys' weeks differ in size by far more than the warning's share, whichever runs first,
    // and both are far from the demo's last week: each review has a warning to confirm.
    private async Task JourneyAsync(Language language, string week, string draft, int rows, int replacementRows)
    {
        var files = new List<string>();
        using var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        try
        {
            var uploader = await SignedInAsync(FourEyesSiteFixture.UploaderEmail, language.Code);
            var colleague = await SignedInAsync(FourEyesSiteFixture.ColleagueEmail, language.Code);

            await UploadAsync(uploader, Cafes(1, rows, files), week);
            await Assertions.Expect(uploader.GetByTestId("import-counts")).ToContainTextAsync(language.Loaded);
            await Assertions.Expect(uploader.GetByTestId("rows-loaded")).ToHaveTextAsync($"{rows}");
            await uploader.GotoAsync($"/staff/weeks/{week}");
            await Assertions.Expect(uploader.GetByTestId("publish-warnings")).ToBeVisibleAsync();
            await Assertions.Expect(uploader.GetByTestId("second-person")).ToBeVisibleAsync();
            await Assertions.Expect(uploader.GetByTestId("publish-button")).ToHaveCountAsync(0);

            await colleague.GotoAsync($"/staff/weeks/{week}");
            await colleague.GetByTestId("acknowledge").CheckAsync();
            await colleague.GetByTestId("publish-button").ClickAsync();
            await Assertions.Expect(colleague.GetByTestId("week-done")).ToContainTextAsync(language.Published);

            await UploadAsync(uploader, Cafes(1, rows, files), draft);
            await uploader.GotoAsync($"/staff/weeks/{draft}");
            await uploader.GetByTestId("discard-button").ClickAsync();
            await Assertions.Expect(uploader.GetByTestId("week-done")).ToContainTextAsync(language.Discarded);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await ReadParticipantsAsync(http, draft)).Status);

            await UploadAsync(uploader, Cafes(1, replacementRows, files), week);
            await Assertions.Expect(uploader.GetByTestId("import-replacement")).ToBeVisibleAsync();
            await colleague.GotoAsync($"/staff/weeks/{week}");
            await Assertions.Expect(colleague.GetByTestId("replacement")).ToBeVisibleAsync();
            await Assertions.Expect(colleague.GetByTestId("review-totals")).ToContainTextAsync($"{replacementRows}");
            await colleague.GetByTestId("replace-reason").FillAsync(language.Reason);
            await colleague.GetByTestId("acknowledge").CheckAsync();

            var seen = new List<string>();
            using var stop = new CancellationTokenSource();
            var poller = Task.Run(async () =>
            {
                for (var n = 1; !stop.IsCancellationRequested; n = n % 100 + 1)
                {
                    var (status, total) = await ReadParticipantsAsync(http, week, n);
                    lock (seen)
                        seen.Add($"{(int)status} {total}");
                }
            });
            await colleague.GetByTestId("publish-button").ClickAsync();
            await Assertions.Expect(colleague.GetByTestId("week-done")).ToContainTextAsync(language.Replaced);
            // The node drops its cached answers when the notification arrives; the new version shows soon after.
            for (var attempt = 0; attempt < 200 && !Seen(seen, $"200 {replacementRows}"); attempt++)
                await Task.Delay(50);
            await stop.CancelAsync();
            await poller;

            lock (seen)
            {
                Assert.All(seen.Distinct(), s => Assert.Contains(s, new[] { $"200 {rows}", $"200 {replacementRows}" }));
                Assert.Contains($"200 {rows}", seen);
                Assert.Contains($"200 {replacementRows}", seen);
            }
            await Assertions.Expect(colleague.GetByTestId("replaced-versions")).ToBeVisibleAsync();
            var resident = await site.NewPageAsync();
            await resident.GotoAsync($"/corrections?lang={language.Code}");
            await Assertions.Expect(resident.Locator($"[data-testid=correction][data-kind=replacement][data-week='{week}'] [data-testid=correction-reason]"))
                .ToHaveTextAsync(language.Reason);
        }
        finally
        {
            foreach (var file in files)
                File.Delete(file);
        }
    }

    private static bool Seen(List<string> seen, string what)
    {
        lock (seen)
            return seen.Contains(what);
    }

    private async Task<IPage> SignedInAsync(string email, string language)
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync($"/staff/login?lang={language}");
        await page.Locator("input[name=Email]").FillAsync(email);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal), new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"{email} was not signed in: {page.Url} {await page.Locator("main").InnerTextAsync()}", e);
        }
        return page;
    }

    private static async Task UploadAsync(IPage page, string file, string week)
    {
        await page.GotoAsync("/staff/imports/new");
        await page.Locator("input[name=File]").SetInputFilesAsync(file);
        await page.Locator("input[name=WeekStart]").FillAsync(week);
        await page.GetByTestId("upload-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-loaded")).ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    /// <summary>The week's participants as the public API gives them; each page size is another cached answer, so most reads reach the database.</summary>
    private static async Task<(System.Net.HttpStatusCode Status, int Total)> ReadParticipantsAsync(HttpClient http, string week, int pageSize = 1)
    {
        var response = await http.GetAsync($"/api/v1/lists/participants?week={week}&pageSize={pageSize}");
        if (!response.IsSuccessStatusCode)
            return (response.StatusCode, -1);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("total").GetInt32());
    }

    private static string Cafes(int from, int to, List<string> files)
    {
        var export = new ExportBuilder();
        for (var n = from; n <= to; n++)
            export.Row(ExportBuilder.BinFor(900_000 + n), n <= 3 ? "лидер" : "участник", name: $"Кафе «Журнал {n}»");
        var file = Path.Combine(Path.GetTempPath(), $"ashyq-browser-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(file, export.ToBytes());
        files.Add(file);
        return file;
    }

    private sealed record Language(string Code, string Loaded, string Published, string Discarded, string Replaced, string Reason);
}
