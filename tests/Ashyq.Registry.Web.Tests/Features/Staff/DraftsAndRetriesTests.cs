using System.Globalization;
using System.Net;
using System.Text;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Taking a draft back, retrying only what a retry can mend, and the help given for files saved by office programs.</summary>
public sealed class DraftsAndRetriesTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Discard_Draft_RemovesItsRowsAndPartition_KeepsTheImportItsFileAndTheAudit_AndTheFileLoadsAgain()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var file = Cafes(20).ToBytes();
        var id = await staff.UploadLoadedAsync(file, "export.csv", Week);
        Assert.NotNull((await staff.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=discard-form]"));

        var discarded = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/discard", []);

        Assert.Equal("/staff/weeks?done=discarded", discarded.Headers.Location!.OriginalString);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM week_counts WHERE week_start = '{Week}'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'week\\_rows\\_20210719%'"));
        Assert.Equal("discarded", await ScalarAsync<string>($"SELECT state FROM imports WHERE id = {id}"));
        Assert.Equal(file, await staff.Client.GetByteArrayAsync($"/staff/imports/{id}/file"));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE action = 'week.discard' AND subject = '{Week}' AND actor = 'aigerim@ashyq.local'"));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE action = 'import.upload' AND subject = 'import {id}'"));
        Assert.NotNull((await staff.PageAsync($"/staff/imports/{id}")).QuerySelector("[data-testid=import-discarded]"));
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Client.GetAsync($"/staff/weeks/{Week}")).StatusCode);

        await staff.UploadLoadedAsync(file, "export.csv", Week);
        Assert.Equal(20L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Discard_PublishedWeek_IsRefused_AndTheWeekStaysPublic()
    {
        await factory.ImportAsync(Cafes(20).ToBytes(), Week);
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        Assert.Null((await staff.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=discard-form]"));

        var refused = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/discard", []);

        Assert.Contains("problem=not-draft", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("published", await ScalarAsync<string>($"SELECT status FROM weeks WHERE week_start = '{Week}'"));
        Assert.Equal(20L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Retry_RefusedFile_IsNotOffered_AndIsRefused()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var (id, progress) = await staff.UploadAndWaitAsync([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5], "export.xlsx", Week);
        Assert.Equal("failed", progress.State);

        var page = await staff.PageAsync($"/staff/imports/{id}");
        Assert.Null(page.QuerySelector("[data-testid=retry]"));
        Assert.NotNull(page.QuerySelector("[data-testid=refused-fix-file]"));
        var retry = await staff.PostFormAsync($"/staff/imports/{id}", $"/staff/imports/{id}/retry", []);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("failed", await ScalarAsync<string>($"SELECT state FROM imports WHERE id = {id}"));
    }

    [Fact]
    public async Task Retry_ImportWhoseAttemptsRanOutOnTheDatabase_IsOffered_AndLoadsTheFile()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var imports = factory.Services.GetRequiredService<ImportService>();
        using var content = new MemoryStream(Cafes(15).ToBytes());
        var stored = await imports.StoreAsync(content, "export.csv", DateOnly.Parse(Week, CultureInfo.InvariantCulture), "aigerim@ashyq.local", ImportSources.Upload);
        // What the job does once its attempts are spent on a database that does not answer.
        await imports.MarkFailedAsync(stored.Id, "Attempt failed: the database could not be reached.");

        var page = await staff.PageAsync($"/staff/imports/{stored.Id}");
        Assert.NotNull(page.QuerySelector("[data-testid=retry]"));
        Assert.NotNull((await staff.PageAsync("/staff/imports")).QuerySelector($"[data-import-id='{stored.Id}'] [data-testid=retry]"));
        var retry = await staff.PostFormAsync($"/staff/imports/{stored.Id}", $"/staff/imports/{stored.Id}/retry", []);

        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal("loaded", (await staff.WaitForImportAsync(stored.Id)).State);
    }

    [Fact]
    public async Task UnknownCategory_OffersAnAliasForItsText_OnTheAliasesPagePrefilled()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);
        var id = await admin.UploadLoadedAsync(Cafes(10).Row(ExportBuilder.BinFor(77), "участник", category: "Автомойка «Блеск»").ToBytes(), "export.csv", Week);

        var link = (await admin.PageAsync($"/staff/imports/{id}")).QuerySelector("[data-testid=row-warnings] tr[data-code=category_unknown] [data-testid=add-alias]");
        Assert.NotNull(link);
        var aliases = await admin.PageAsync(link.GetAttribute("href")!);

        Assert.Equal("Автомойка «Блеск»", aliases.QuerySelector("input#alias")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Upload_BinThatLostItsLeadingZeros_SaysASpreadsheetRemovedThem_InEachLanguage()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var bin = ExportBuilder.BinFor(42); // 0000000004 2x: ten leading zeros
        var id = await staff.UploadLoadedAsync(Cafes(40).Row(bin.TrimStart('0'), "участник").ToBytes(), "export.csv", Week);

        var english = (await staff.PageAsync($"/staff/imports/{id}?lang=en")).QuerySelector("[data-testid=row-errors] tr[data-code=bin_leading_zeros]");
        var russian = (await staff.PageAsync($"/staff/imports/{id}?lang=ru")).QuerySelector("[data-testid=row-errors] tr[data-code=bin_leading_zeros]");
        var kazakh = (await staff.PageAsync($"/staff/imports/{id}?lang=kk")).QuerySelector("[data-testid=row-errors] tr[data-code=bin_leading_zeros]");

        Assert.NotNull(english);
        Assert.Contains(bin, english.TextContent, StringComparison.Ordinal);
        Assert.Contains("spreadsheet probably removed the zeros", english.TextContent, StringComparison.Ordinal);
        Assert.Contains("Text", english.TextContent, StringComparison.Ordinal);
        Assert.Contains("электронная таблица удалила нули", russian!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Электрондық кесте", kazakh!.TextContent, StringComparison.Ordinal);
        Assert.Equal(40L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Upload_KazakhFileSavedAsWindows1251_SaysItsEncodingLostLetters_AndOffersNoRetry()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var text = new StringBuilder("БСН;Атауы;Қызмет түрі;Сканерлеу саны;Мәртебесі\r\n");
        for (var n = 1; n <= 10; n++)
            text.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)};Дәмхана {n};Кафе;{n};қатысушы\r\n");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1251).GetBytes(text.ToString()); // қ, ә, ү become '?'

        var (id, progress) = await staff.UploadAndWaitAsync(file, "export.csv", Week);
        Assert.Equal("failed", progress.State);
        var page = await staff.PageAsync($"/staff/imports/{id}?lang=en");

        var error = page.QuerySelector("[data-testid=import-error]")!.TextContent;
        Assert.Contains("'?ызмет т?рі' (Қызмет түрі)", error, StringComparison.Ordinal);
        Assert.Contains("'М?ртебесі' (Мәртебесі)", error, StringComparison.Ordinal);
        Assert.Contains("Save the file as UTF-8", error, StringComparison.Ordinal);
        Assert.Equal("encoding_lost_letters", await ScalarAsync<string>($"SELECT code FROM import_messages WHERE import_id = {id} AND severity = 'file_error'"));
        Assert.Null(page.QuerySelector("[data-testid=retry]"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM week_rows"));
    }

    private static ExportBuilder Cafes(int rows)
    {
        var export = new ExportBuilder();
        for (var n = 1; n <= rows; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 3 ? "лидер" : "участник", name: $"Кафе {n}");
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
