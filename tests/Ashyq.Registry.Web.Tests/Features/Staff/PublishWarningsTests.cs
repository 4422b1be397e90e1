using System.Globalization;
using System.Net;
using System.Text;
using AngleSharp.Dom;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>
/// The review before publishing compares the week with the latest published one and names what looks
/// wrong; a week with warnings is published only with a confirmation of those warnings.
/// </summary>
public sealed class PublishWarningsTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Published = "2021-07-12";
    private const string Week = "2021-07-19";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publish_ParticipantsFallingFromFiftyToTen_IsRefusedWithoutTheConfirmation_ThenPublishedWithIt()
    {
        await factory.ImportAsync(Baseline(50).ToBytes(), Published);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        await UploadAsync(staff, Participants(10));

        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        Assert.Equal(["change:participants", "change:leaders"], WarningKeys(review));
        Assert.Contains("50", review.QuerySelector("[data-key='change:participants']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("10", review.QuerySelector("[data-testid=publish-what]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(review.QuerySelector("[data-testid=publish-form] [data-testid=acknowledge]"));

        var oneClick = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);
        Assert.Equal(HttpStatusCode.Redirect, oneClick.StatusCode);
        Assert.Contains("problem=warnings", oneClick.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync(Week));
        var refused = await staff.Client.GetAsync(oneClick.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.NotNull((await StaffSession.HtmlAsync(refused)).QuerySelector("[data-testid=week-problem]"));

        var wrongConfirmation = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", new() { ["acknowledge"] = "true" });
        Assert.Contains("problem=warnings", wrongConfirmation.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync(Week));

        var confirmed = await staff.PublishTickingEveryBoxAsync(Week);
        Assert.Contains("done=published", confirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("published", await WeekStatusAsync(Week));
        var audit = await ScalarAsync<string>($"SELECT details FROM audit_log WHERE action = 'week.publish' AND subject = '{Week}'");
        Assert.Contains("change:participants", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_CategoryAndDistrictLeftEmpty_FigureColumnsMissing_TitleOfAnotherWeek_AreEachWarned()
    {
        var baseline = Baseline(40);
        for (var n = 100; n < 110; n++)
            baseline.Row(ExportBuilder.BinFor(n), "участник", name: $"Гостиница {n}", category: "Гостиница", district: "Медеуский");
        await factory.ImportAsync(baseline.ToBytes(), Published);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        // The same fifty businesses, but no hotel any more, no district or flagged-visitors column, and a title naming the week before.
        var file = new StringBuilder("Выгрузка участников проекта Ashyq, г. Алматы, за период 12.07.2021 – 18.07.2021\r\n");
        file.Append("БИН;Наименование;Вид деятельности;Количество сканирований;Статус\r\n");
        for (var n = 1; n <= 40; n++)
            file.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)};Кафе {n};Кафе;100;{BaselineStatus(n)}\r\n");
        for (var n = 100; n < 110; n++)
            file.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)};Кафе {n};Кафе;100;участник\r\n");
        await UploadAsync(staff, Encoding.UTF8.GetBytes(file.ToString()));

        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        var keys = WarningKeys(review);

        Assert.Contains("category-zero:hotels", keys);
        Assert.DoesNotContain("category-zero:catering", keys);
        Assert.Contains("district-zero:medeu", keys);
        Assert.Contains("district-zero:almaly", keys);
        Assert.Contains("column-missing:district", keys);
        Assert.Contains("column-missing:flagged", keys);
        Assert.Contains("title-period:2021-07-12", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("change:", StringComparison.Ordinal));
        var english = await staff.PageAsync($"/staff/weeks/{Week}?lang=en");
        Assert.Contains("not reported", english.QuerySelector("[data-key='column-missing:flagged']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("12.07.2021", review.QuerySelector("[data-key='title-period:2021-07-12']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WeekWithinTheSetShare_HasNoWarnings_AndPublishesWithOneClick()
    {
        await factory.ImportAsync(Baseline(50).ToBytes(), Published);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        await UploadAsync(staff, Baseline(45).ToBytes());

        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        Assert.Null(review.QuerySelector("[data-testid=publish-warnings]"));
        var published = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);

        Assert.Contains("done=published", published.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("published", await WeekStatusAsync(Week));
    }

    [Fact]
    public async Task Publish_ConfirmationGivenForAnEarlierFileOfTheWeek_IsRefused()
    {
        await factory.ImportAsync(Baseline(50).ToBytes(), Published);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        await UploadAsync(staff, Participants(10));
        var firstConfirmation = (await staff.PageAsync($"/staff/weeks/{Week}"))
            .QuerySelector("[data-testid=acknowledge]")!.GetAttribute("value")!;

        await UploadAsync(staff, Participants(12));
        var stale = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", new() { ["acknowledge"] = firstConfirmation });

        Assert.Contains("problem=warnings", stale.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync(Week));
        Assert.Equal(12L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Review_ShareSetHigher_ADropBelowIt_IsNotWarned()
    {
        using var tolerant = factory.WithWebHostBuilder(b => b.UseSetting("Publishing:ChangeWarningPercent", "90"));
        await factory.ImportAsync(Baseline(50).ToBytes(), Published);
        using var staff = await StaffSession.SignedInAsync(tolerant, "aigerim@ashyq.local");
        await UploadAsync(staff, Participants(10));

        var keys = WarningKeys(await staff.PageAsync($"/staff/weeks/{Week}"));

        Assert.DoesNotContain("change:participants", keys); // −80 %
        Assert.Contains("change:leaders", keys); // −100 %
    }

    /// <summary>Ten leaders and the rest participants, all cafés in Almaly (no outsiders, so the rule excludes no one).</summary>
    private static ExportBuilder Baseline(int rows)
    {
        var export = new ExportBuilder();
        for (var n = 1; n <= rows; n++)
            export.Row(ExportBuilder.BinFor(n), BaselineStatus(n), name: $"Кафе {n}");
        return export;
    }

    private static string BaselineStatus(int n) => n <= 10 ? "лидер" : "участник";

    private static byte[] Participants(int rows)
    {
        var export = new ExportBuilder();
        for (var n = 1; n <= rows; n++)
            export.Row(ExportBuilder.BinFor(n), "участник", name: $"Кафе {n}");
        return export.ToBytes();
    }

    private static async Task UploadAsync(StaffSession staff, byte[] file)
    {
        await staff.UploadLoadedAsync(file, "export.csv", Week);
    }

    private static List<string> WarningKeys(IDocument review) =>
        review.QuerySelectorAll("[data-testid=publish-warning]").Select(li => li.GetAttribute("data-key")!).ToList();

    private Task<string?> WeekStatusAsync(string week) => ScalarAsync<string?>($"SELECT status FROM weeks WHERE week_start = '{week}'");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
