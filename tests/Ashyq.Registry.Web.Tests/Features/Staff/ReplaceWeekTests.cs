using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>
/// A published week replaced by another file: loaded beside the published version, reviewed against it,
/// published in one step that the public site never sees half-done; the old file stays with staff.
/// </summary>
public sealed class ReplaceWeekTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private const string LaterWeek = "2021-07-26";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Upload_ForPublishedWeek_WaitsBesideIt_AndIsReviewedAgainstThePublishedVersion_WhileThePublicSiteKeepsTheOldOne()
    {
        await factory.ImportAsync(Cafes(1, 20).ToBytes(), Week);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");

        var id = await staff.UploadExpectingImportAsync(Cafes(6, 35).ToBytes(), "corrected.csv", Week);

        Assert.Equal("loaded", (await staff.WaitForImportAsync(id)).State);
        Assert.Equal("published", await ScalarAsync<string>($"SELECT status FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(20, await ScalarAsync<int>($"SELECT participants FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(20L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
        Assert.Equal(id, await ScalarAsync<long>($"SELECT import_id FROM week_replacements WHERE week_start = '{Week}'"));
        Assert.Equal(20, await PublicParticipantsAsync());

        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), review.QuerySelector("[data-testid=replacement]")!.GetAttribute("data-import-id"));
        var participants = review.QuerySelectorAll("[data-testid=review-totals] tbody tr")[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["20", "30", "+10"], participants);
        Assert.Equal("15", review.QuerySelector("[data-testid=change-new]")!.GetAttribute("data-count"));
        Assert.Equal("5", review.QuerySelector("[data-testid=change-departed]")!.GetAttribute("data-count"));
        Assert.Contains(review.QuerySelectorAll("[data-testid=publish-warning]"), w => w.GetAttribute("data-key") == "change:participants");
        Assert.NotNull(review.QuerySelector("[data-testid=replace-form] [data-testid=replace-reason]"));
        Assert.Null(review.QuerySelector("[data-testid=publish-form]"));
    }

    [Fact]
    public async Task Replace_NeedsTheReasonAndTheWarningsConfirmed_ThenSwapsTheVersions_RederivesLaterWeeks_AndRecordsIt()
    {
        // Business 7 is an outsider in both published weeks, so the rule excludes it in the later one;
        // the corrected file says it was an ordinary participant, which must readmit it there.
        await factory.ImportAsync(Cafes(1, 20, outsider: 7).ToBytes(), Week);
        await factory.ImportAsync(Cafes(1, 20, outsider: 7).ToBytes(), LaterWeek);
        Assert.Equal("excluded", await ScalarAsync<string>($"SELECT status FROM week_rows WHERE week_start = '{LaterWeek}' AND bin = '{ExportBuilder.BinFor(7)}'"));
        var oldImport = await ScalarAsync<long>($"SELECT import_id FROM weeks WHERE week_start = '{Week}'");
        var oldFile = Cafes(1, 20, outsider: 7).ToBytes();
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var id = await staff.UploadLoadedAsync(Cafes(6, 35).ToBytes(), "corrected.csv", Week);

        var noReason = await ReplaceAsync(staff, reason: "");
        Assert.Contains("problem=replace-reason", noReason.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var unconfirmed = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/replace", new() { ["reason"] = "в файле министерства были не все районы" });
        Assert.Contains("problem=warnings", unconfirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(oldImport, await ScalarAsync<long>($"SELECT import_id FROM weeks WHERE week_start = '{Week}'"));

        var replaced = await ReplaceAsync(staff, "в файле министерства были не все районы");

        Assert.Contains("done=replaced", replaced.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(id, await ScalarAsync<long>($"SELECT import_id FROM weeks WHERE week_start = '{Week}' AND status = 'published'"));
        Assert.Equal(30, await ScalarAsync<int>($"SELECT participants FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(30L, await ScalarAsync<long>($"SELECT sum(participants) FROM week_counts WHERE week_start = '{Week}' AND dimension = 'category'"));
        Assert.Equal(30L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}' AND bin = '{ExportBuilder.BinFor(1)}'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'week\\_rows\\_20210719%' AND relkind = 'r'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM week_replacements"));
        Assert.Equal("outsider", await ScalarAsync<string>($"SELECT status FROM week_rows WHERE week_start = '{LaterWeek}' AND bin = '{ExportBuilder.BinFor(7)}'"));
        Assert.Equal("outsider", await ScalarAsync<string>($"SELECT status FROM business_weeks WHERE week_start = '{LaterWeek}' AND bin = '{ExportBuilder.BinFor(7)}'"));
        Assert.Equal(30L, await ScalarAsync<long>($"SELECT count(*) FROM business_weeks WHERE week_start = '{Week}'"));
        // Businesses 21 to 35 are new to the registry; 1 to 5, gone from the corrected week, are still listed in the later week.
        Assert.Equal(35L, await ScalarAsync<long>("SELECT count(*) FROM businesses"));
        Assert.Equal("replaced", await ScalarAsync<string>($"SELECT state FROM imports WHERE id = {oldImport}"));

        var audit = await ScalarAsync<string>($"SELECT actor || ': ' || details FROM audit_log WHERE action = 'week.replace' AND subject = '{Week}'");
        Assert.Contains("aigerim@ashyq.local", audit, StringComparison.Ordinal);
        Assert.Contains("participants 20 → 30", audit, StringComparison.Ordinal);
        Assert.Contains("в файле министерства были не все районы", audit, StringComparison.Ordinal);
        Assert.Contains("confirmed warnings: change:participants", audit, StringComparison.Ordinal);
        var said = (await staff.PageAsync("/staff/audit?lang=kk&action=week.replace")).QuerySelector("[data-testid=audit-row][data-action='week.replace'] [data-testid=audit-sentence]")!;
        Assert.Contains("Расталған ескертулер: «Қатысушылар» белгіленген үлестен көп өзгерді", said.TextContent, StringComparison.Ordinal);

        foreach (var (language, title, words) in new[] { ("kk", "тізімдері түзетілді", "Себебі: "), ("en", "Lists corrected for the week", "Reason: ") })
        {
            var feed = System.Xml.Linq.XDocument.Parse(await staff.Client.GetStringAsync($"/feed.atom?lang={language}"));
            System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
            var entry = feed.Root!.Elements(atom + "entry").Single(e => e.Element(atom + "id")!.Value.EndsWith($"/changes?week={Week}&lang={language}", StringComparison.Ordinal));
            Assert.Contains(title, entry.Element(atom + "title")!.Value, StringComparison.Ordinal);
            Assert.Contains(words + "в файле министерства были не все районы", entry.Element(atom + "summary")!.Value, StringComparison.Ordinal);
            var later = feed.Root!.Elements(atom + "entry").Single(e => e.Element(atom + "id")!.Value.EndsWith($"/changes?week={LaterWeek}&lang={language}", StringComparison.Ordinal));
            Assert.DoesNotContain(title, later.Element(atom + "title")!.Value, StringComparison.Ordinal);
        }

        var versions = (await staff.PageAsync($"/staff/weeks/{Week}")).QuerySelectorAll("[data-testid=replaced-version]");
        var version = Assert.Single(versions);
        Assert.Equal(oldImport.ToString(System.Globalization.CultureInfo.InvariantCulture), version.GetAttribute("data-import-id"));
        Assert.Equal(oldFile, await staff.Client.GetByteArrayAsync(version.QuerySelector("[data-testid=replaced-file]")!.GetAttribute("href")));

        foreach (var (language, words) in new[] { ("ru", "заменена"), ("kk", "ауыстырылды"), ("en", "was replaced") })
        {
            var corrections = await staff.PageAsync($"/corrections?lang={language}");
            var entry = corrections.QuerySelectorAll("[data-testid=correction]").Single(c => c.GetAttribute("data-kind") == "replacement");
            Assert.Equal(Week, entry.GetAttribute("data-week"));
            Assert.Contains(words, entry.TextContent, StringComparison.Ordinal);
            Assert.Equal("в файле министерства были не все районы", entry.QuerySelector("[data-testid=correction-reason]")!.TextContent);
            Assert.Contains("20", entry.QuerySelector("[data-testid=correction-figures]")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("30", entry.QuerySelector("[data-testid=correction-figures]")!.TextContent, StringComparison.Ordinal);
        }
        Assert.Equal(30, await PublicParticipantsAsync());

        // The replaced file is no longer what the week holds: uploading it again is a new replacement, not a duplicate.
        var again = await staff.UploadLoadedAsync(oldFile, "export.csv", Week);
        Assert.Equal(again, await ScalarAsync<long>($"SELECT import_id FROM week_replacements WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task DiscardReplacement_KeepsThePublishedVersion_AndASecondReplacementTakesThePlaceOfTheFirst()
    {
        await factory.ImportAsync(Cafes(1, 20).ToBytes(), Week);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var first = await staff.UploadLoadedAsync(Cafes(1, 22).ToBytes(), "first.csv", Week);
        var second = await staff.UploadLoadedAsync(Cafes(1, 21).ToBytes(), "second.csv", Week);

        Assert.Equal("discarded", await ScalarAsync<string>($"SELECT state FROM imports WHERE id = {first}"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_class WHERE relname = 'week_rows_20210719_{first}'"));
        Assert.Equal(second, await ScalarAsync<long>($"SELECT import_id FROM week_replacements WHERE week_start = '{Week}'"));

        var discarded = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/discard", []);

        Assert.Contains("done=replacement-discarded", discarded.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM week_replacements"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_class WHERE relname = 'week_rows_20210719_{second}'"));
        Assert.Equal("discarded", await ScalarAsync<string>($"SELECT state FROM imports WHERE id = {second}"));
        Assert.Equal("published", await ScalarAsync<string>($"SELECT status FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(20L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE action = 'week.discard' AND details LIKE 'replacement from import {second}%'"));
        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        Assert.Null(review.QuerySelector("[data-testid=replacement]"));
        Assert.NotNull(review.QuerySelector("[data-testid=withdraw-form]"));
        Assert.Equal(20, await PublicParticipantsAsync());
    }

    [Fact]
    public async Task Replace_UnderFourEyes_TheUploaderIsRefused_AColleaguePublishesIt()
    {
        await factory.ImportAsync(Cafes(1, 20).ToBytes(), Week);
        var site = factory.WithWebHostBuilder(b => b.UseSetting("Publishing:RequireSecondPerson", "true"));
        using var uploader = await StaffSession.SignedInAsync(site, "aigerim@ashyq.local");
        var id = await uploader.UploadLoadedAsync(Cafes(1, 21).ToBytes(), "corrected.csv", Week);
        Assert.NotNull((await uploader.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=replace-form] [data-testid=second-person]"));

        var own = await uploader.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/replace", new() { ["reason"] = "исправлено", ["publishOwnUpload"] = "true" });
        Assert.Contains("problem=second-person", own.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(id, await ScalarAsync<long>("SELECT import_id FROM week_replacements"));

        using var colleague = await StaffSession.SignedInAsync(site, "daulet@ashyq.local");
        var replaced = await ReplaceAsync(colleague, "исправлено");

        Assert.Contains("done=replaced", replaced.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("daulet@ashyq.local", await ScalarAsync<string>($"SELECT published_by FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(21, await ScalarAsync<int>($"SELECT participants FROM weeks WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Replace_WhileThePublicPageIsPolled_TheWeekIsNeverMissingNorHalfLoaded()
    {
        const int OldRows = 3_000, NewRows = 4_000;
        await factory.ImportAsync(Cafes(1, OldRows).ToBytes(), Week);
        await factory.ImportAsync(Cafes(1, OldRows).ToBytes(), LaterWeek);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        await staff.UploadLoadedAsync(Cafes(1, NewRows).ToBytes(), "corrected.csv", Week);

        using var reader = factory.CreateClient();
        var seen = new List<string>();
        using var stop = new CancellationTokenSource();
        var sawNew = new TaskCompletionSource();
        var poller = Task.Run(async () =>
        {
            // Each read names another page size, so that every one reaches the database instead of the cached answer.
            for (var n = 1; !stop.IsCancellationRequested || !sawNew.Task.IsCompleted; n = n % 100 + 1)
            {
                var list = await reader.GetAsync($"/api/v1/lists/participants?week={Week}&pageSize={n}");
                var week = await reader.GetAsync($"/api/v1/weeks/{Week}?n={n}");
                var total = list.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32() : -1;
                var figure = week.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await week.Content.ReadAsStringAsync()).RootElement.GetProperty("participants").GetInt32() : -1;
                lock (seen)
                    seen.Add($"{(int)list.StatusCode} {total} {(int)week.StatusCode} {figure}");
                if (total == NewRows && figure == NewRows)
                    sawNew.TrySetResult();
                if (seen.Count > 20_000)
                    break;
            }
        });
        while (true)
        {
            lock (seen)
            {
                if (seen.Count >= 3)
                    break;
            }
            await Task.Delay(10);
        }

        var replaced = await ReplaceAsync(staff, "исправленный файл");
        stop.Cancel();
        await poller.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Contains("done=replaced", replaced.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.True(sawNew.Task.IsCompleted, "the poller never saw the new version: " + seen[^1]);
        var kinds = seen.Distinct().ToList();
        Assert.All(kinds, k => Assert.Contains(k, new[] { $"200 {OldRows} 200 {OldRows}", $"200 {NewRows} 200 {NewRows}", $"200 {NewRows} 200 {OldRows}", $"200 {OldRows} 200 {NewRows}" }));
        Assert.Contains($"200 {OldRows} 200 {OldRows}", kinds);
    }

    /// <summary>The replace form sent as a browser would with every box ticked and the reason written.</summary>
    private static async Task<HttpResponseMessage> ReplaceAsync(StaffSession staff, string reason)
    {
        var page = await staff.PageAsync($"/staff/weeks/{Week}");
        var form = page.QuerySelector("[data-testid=replace-form]") ?? throw new InvalidOperationException("The week has no replace form.");
        var fields = form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "on"))
            .Append(new KeyValuePair<string, string>("reason", reason))
            .ToList();
        return await staff.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    private async Task<int> PublicParticipantsAsync()
    {
        using var client = factory.CreateClient();
        var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/lists/participants?week={Week}&pageSize=7"));
        return json.RootElement.GetProperty("total").GetInt32();
    }

    /// <summary>Businesses <paramref name="from"/> to <paramref name="to"/>, the first three leaders, one outsider if named.</summary>
    private static ExportBuilder Cafes(int from, int to, int? outsider = null)
    {
        var export = new ExportBuilder();
        for (var n = from; n <= to; n++)
            export.Row(ExportBuilder.BinFor(n), n == outsider ? "аутсайдер" : n < from + 3 ? "лидер" : "участник", name: $"Кафе {n}");
        return export;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
