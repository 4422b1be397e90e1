using System.Globalization;
using System.Net;
using System.Text;
using Ashyq.Registry.Core.Spreadsheets;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Monday morning through HTTP: upload, the job loads it, read the outcome, review, publish, withdraw.</summary>
public sealed class ImportJourneyTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private const string NextWeek = "2021-07-26";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task MessagesCsv_ValuesAsReadThatStartLikeAFormula_AreDefused()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var export = new ExportBuilder();
        for (var n = 1; n <= 200; n++)
            export.Row(ExportBuilder.BinFor(n), "участник", name: $"Кафе №{n}");
        string[] hostile = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"];
        foreach (var value in hostile)
            export.Line($"\"{value}\";Кафе;Кафе;Алмалинский;10;0;участник;");

        var importId = await staff.UploadLoadedAsync(export.ToBytes(), "выгрузка.csv", Week);
        var csv = await staff.Client.GetStringAsync($"/staff/imports/{importId}/messages.csv");

        var stored = await ValuesOfMessagesAsync(importId);
        var risky = stored.Where(v => v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r').ToList();
        Assert.True(risky.Count == hostile.Length, $"{risky.Count} messages kept a value starting like a formula: {string.Join(" | ", stored)}");
        foreach (var value in risky)
            Assert.Contains(";" + (value.Contains('\r', StringComparison.Ordinal) ? "\"'" + value + "\"" : "'" + value) + ";", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";+", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";@", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";\t", csv, StringComparison.Ordinal);
    }

    private async Task<List<string>> ValuesOfMessagesAsync(long importId)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM import_messages WHERE import_id = $1 AND value IS NOT NULL", connection)
        {
            Parameters = { new() { Value = importId } },
        };
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }

    [Fact]
    public async Task Upload_RussianCsvWithABadRow_LoadsThroughTheJob_ReportsTheRow_ThenPublishAndWithdraw()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var export = new ExportBuilder();
        for (var n = 1; n <= 40; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 3 ? "лидер" : "участник", name: $"Кафе №{n}");
        export.Line("12345;Кафе «Ошибка»;Кафе;Алмалинский;10;0;участник;");
        var bytes = export.ToBytes();

        var (importId, progress) = await staff.UploadAndWaitAsync(bytes, "выгрузка.csv", Week);
        var page = await staff.PageAsync($"/staff/imports/{importId}");

        Assert.Equal("loaded", progress.State);
        Assert.Equal(41, progress.RowsRead);
        Assert.Equal("40", page.QuerySelector("[data-testid=rows-loaded]")!.TextContent);
        Assert.Equal("1", page.QuerySelector("[data-testid=rows-rejected]")!.TextContent);
        var error = page.QuerySelector("[data-testid=row-errors] tbody tr")!;
        Assert.Equal("42", error.Children[0].TextContent.Trim());
        Assert.Equal("12345", error.Children[2].TextContent.Trim());

        var csv = await staff.Client.GetStringAsync($"/staff/imports/{importId}/messages.csv");
        Assert.Contains(";42;", csv, StringComparison.Ordinal);
        Assert.Contains("12345", csv, StringComparison.Ordinal);
        Assert.Equal(bytes, await staff.Client.GetByteArrayAsync($"/staff/imports/{importId}/file"));

        var review = await staff.PageAsync($"/staff/weeks/{Week}");
        Assert.Equal("40", review.QuerySelector("[data-testid=change-new]")!.GetAttribute("data-count"));
        Assert.Equal("3", review.QuerySelector("[data-testid=change-new-leader]")!.GetAttribute("data-count"));

        var published = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal("published", await WeekStatusAsync(Week));

        var withoutReason = await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/withdraw", new() { ["reason"] = " " });
        Assert.Equal("published", await WeekStatusAsync(Week));
        Assert.Contains("problem=reason", withoutReason.Headers.Location!.OriginalString, StringComparison.Ordinal);

        await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/withdraw", new() { ["reason"] = "Министерство прислало исправленный файл" });
        Assert.Equal("withdrawn", await WeekStatusAsync(Week));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM businesses"));
    }

    public static TheoryData<string, string> Dialects => new()
    {
        { "kazakh-comma-bom", "export.csv" },
        { "english-tab-with-title", "export.txt" },
        { "russian-cp1251", "export.csv" },
        { "xlsx-numeric-bins", "export.xlsx" },
    };

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Upload_EachDialectOfTheContract_LoadsEveryRow(string dialect, string fileName)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var (importId, progress) = await staff.UploadAndWaitAsync(Build(dialect, rows: 25), fileName, Week);

        var page = await staff.PageAsync($"/staff/imports/{importId}");
        Assert.True(progress.State == "loaded", page.QuerySelector("[data-testid=import-failed]")?.TextContent);
        Assert.Equal("25", page.QuerySelector("[data-testid=rows-loaded]")!.TextContent);
        Assert.Equal(25L, await ScalarAsync<long>($"SELECT count(*) FROM week_rows WHERE week_start = '{Week}'"));
    }

    [Fact]
    public async Task Upload_WithoutWeek_TakesTheWeekFromTheTitleLine()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var importId = await staff.UploadExpectingImportAsync(Build("english-tab-with-title", rows: 5), "export.txt", week: null);

        Assert.Equal(new DateOnly(2021, 7, 19), await ScalarAsync<DateOnly>($"SELECT week_start FROM imports WHERE id = {importId}"));
    }

    [Fact]
    public async Task Upload_WithoutWeekOrTitleLine_AsksForTheWeek_StoresNothing()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var response = await staff.UploadAsync(Build("kazakh-comma-bom", rows: 5), "export.csv", week: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=upload-problem]"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM imports"));
    }

    [Fact]
    public async Task Upload_SameFileTwice_SecondIsADuplicateAndNotLoadedAgain()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");
        var file = Build("russian-cp1251", rows: 5);
        await staff.UploadAndWaitAsync(file, "export.csv", Week);

        var second = await staff.UploadExpectingImportAsync(file, "export.csv", Week);

        var page = await staff.PageAsync($"/staff/imports/{second}");
        Assert.NotNull(page.QuerySelector("[data-testid=duplicate]"));
        Assert.Equal(file, await staff.Client.GetByteArrayAsync($"/staff/imports/{second}/file"));
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_IsRefusedWithAClearMessage_AndNothingIsStored()
    {
        using var small = factory.WithWebHostBuilder(b => b.UseSetting("Registry:MaxUploadBytes", "2048"));
        using var staff = await StaffSession.SignedInAsync(small, "staff@ashyq.local");

        var response = await staff.UploadAsync(Build("russian-cp1251", rows: 200), "export.csv", Week);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("2 КБ", (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=upload-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM imports"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM import_files"));
    }

    [Fact]
    public async Task Upload_NotAnExport_FailsWithTheFileErrorOnItsPage()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var (importId, progress) = await staff.UploadAndWaitAsync([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5], "export.xlsx", Week);

        Assert.Equal("failed", progress.State);
        var page = await staff.PageAsync($"/staff/imports/{importId}");
        Assert.NotNull(page.QuerySelector("[data-testid=import-failed]"));
        var list = await staff.PageAsync("/staff/imports");
        // A file refused for what it holds fails again on every attempt: no retry is offered for it.
        Assert.NotNull(list.QuerySelector($"[data-import-id='{importId}'] [data-testid=import-error]"));
        Assert.Null(list.QuerySelector($"[data-import-id='{importId}'] [data-testid=retry]"));
    }

    [Fact]
    public async Task Review_SecondWeek_ShowsTheRuleAndDepartures_AndPublishingPastADraftAsksForConfirmation()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");
        var outsider = ExportBuilder.BinFor(1);
        var departing = ExportBuilder.BinFor(2);
        var first = new ExportBuilder().Row(outsider, "аутсайдер").Row(departing, "участник");
        for (var n = 10; n < 30; n++)
            first.Row(ExportBuilder.BinFor(n), "участник");
        var second = new ExportBuilder().Row(outsider, "аутсайдер").Row(ExportBuilder.BinFor(3), "лидер");
        for (var n = 10; n < 30; n++)
            second.Row(ExportBuilder.BinFor(n), "участник");

        await staff.UploadAndWaitAsync(first.ToBytes(), "w1.csv", Week);
        await staff.UploadAndWaitAsync(second.ToBytes(), "w2.csv", NextWeek);

        var early = await staff.PostFormAsync($"/staff/weeks/{NextWeek}", $"/staff/weeks/{NextWeek}/publish", []);
        Assert.Contains("problem=confirm", early.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync(NextWeek));

        await staff.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);
        var review = await staff.PageAsync($"/staff/weeks/{NextWeek}");

        Assert.Equal("1", review.QuerySelector("[data-testid=change-excluded-rule]")!.GetAttribute("data-count"));
        Assert.NotNull(review.QuerySelector($"[data-testid=change-excluded-rule] [data-bin='{outsider}']"));
        Assert.Equal("1", review.QuerySelector("[data-testid=change-departed]")!.GetAttribute("data-count"));
        Assert.Equal("1", review.QuerySelector("[data-testid=change-new-leader]")!.GetAttribute("data-count"));
        Assert.Equal("draft", await WeekStatusAsync(NextWeek));
    }

    private static byte[] Build(string dialect, int rows)
    {
        var statuses = new[] { "participant", "leader", "outsider" };
        switch (dialect)
        {
            case "kazakh-comma-bom":
                {
                    var text = new StringBuilder("БСН,Атауы,Қызмет түрі,Аудан,Сканерлеу саны,Мәртебе\n");
                    for (var n = 1; n <= rows; n++)
                        text.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)},\"Дәмхана \"\"Достар\"\", {n}\",Кафе,Медеу ауданы,{n * 3},{(n % 2 == 0 ? "қатысушы" : "көшбасшы")}\n");
                    return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
                }
            case "english-tab-with-title":
                {
                    var text = new StringBuilder("Выгрузка участников проекта Ashyq, г. Алматы, за период 19.07.2021 – 25.07.2021\r\n\r\n");
                    text.Append("BIN\tBusiness name\tCategory\tDistrict\tScans\tFlagged visitors\tStatus\tNote\r\n");
                    for (var n = 1; n <= rows; n++)
                        text.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)}\tHotel {n}\tHotel\tBostandyk district\t{n}\t{n % 3}\t{statuses[n % 3]}\t\r\n");
                    text.Append(CultureInfo.InvariantCulture, $"\tTotal\t\t\t{rows}\t\t\t\r\n");
                    return Encoding.UTF8.GetBytes(text.ToString());
                }
            case "russian-cp1251":
                {
                    Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                    var text = new StringBuilder("ИИН/БИН;Наименование объекта;Сфера деятельности;Район;Кол-во сканирований;Статус;Причина исключения\r\n");
                    for (var n = 1; n <= rows; n++)
                        text.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(n)};Салон «Ёлка» {n};Салон красоты;Алмалинский район;{n};{(n % 5 == 0 ? "исключён" : "участник")};{(n % 5 == 0 ? "Нарушение режима" : "")}\r\n");
                    return Encoding.GetEncoding(1251).GetBytes(text.ToString());
                }
            case "xlsx-numeric-bins":
                {
                    using var stream = new MemoryStream();
                    using (var writer = new XlsxWriter(stream, "Лист1"))
                    {
                        writer.WriteRow("Выгрузка участников проекта Ashyq, г. Алматы, за период 19.07.2021 – 25.07.2021");
                        writer.WriteRow("БИН", "Наименование", "Вид деятельности", "Дата присоединения", "Количество сканирований", "Статус");
                        for (var n = 1; n <= rows; n++)
                            writer.WriteRow(long.Parse(ExportBuilder.BinFor(n), CultureInfo.InvariantCulture), $"Фитнес {n}", "Фитнес-клуб", new DateTime(2021, 1, n % 28 + 1), n * 10, "участник");
                    }
                    return stream.ToArray();
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(dialect));
        }
    }

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
