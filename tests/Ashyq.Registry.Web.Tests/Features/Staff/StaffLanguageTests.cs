using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Ashyq.Registry.Web.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>
/// The messages of an import's report, its page and its CSV, in the staff member's language, from the codes and values stored;
/// and times in the one zone of the setting, saying which.
/// </summary>
public sealed class StaffLanguageTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private static readonly Texts Texts = new();

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> RowCodesByLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var code in ExportMessageCodes.Row.Keys)
        {
            foreach (var language in Languages.All)
                data.Add(code, language);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RowCodesByLanguage))]
    public void RowMessage_EveryCodeThePipelineCanWrite_HasItsTextWithExactlyItsValues(string code, string language)
    {
        var key = RowMessageText.KeyPrefix + code;
        Assert.True(Texts.Has(key), $"{key} has no text.");

        Assert.Equal(ExportMessageCodes.Row[code].Order(StringComparer.Ordinal),
            RowMessageText.Placeholders(Texts.Get(key, language)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RowMessage_StoredBeforeItsValuesWereKept_IsShownAsThePipelineWroteIt()
    {
        var stored = new ImportMessageRow("row_error", "bin_check_digit", 34, "БИН", "004951446572", "004951446572",
            "Line 34, column 'БИН': The BIN 004951446572 fails the check digit.");

        Assert.Equal(stored.Message, RowMessageText.Say(stored, Texts));
        Assert.Equal(stored.Message, RowMessageText.Say(stored with { Args = """{"other":"1"}""" }, Texts));
        Assert.Equal(stored.Message, RowMessageText.Say(stored with { Args = "not json" }, Texts));
    }

    [Fact]
    public async Task Report_RowMessages_AreInEachLanguage_PageAndCsvAlike_AndANegativeNumberIsKeptAsRead()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var export = new ExportBuilder();
        for (var n = 1; n <= 60; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 3 ? "лидер" : "участник", name: $"Кафе {n}");
        var good = ExportBuilder.BinFor(99);
        var bad = good[..11] + (good[11] == '9' ? '0' : (char)(good[11] + 1));
        export.Line($"{bad};Кафе «Ошибка»;Кафе;Алмалинский;10;0;участник;");
        export.Line($"{ExportBuilder.BinFor(98)};Кафе «Минус»;Кафе;Алмалинский;-3;0;участник;");
        var id = await staff.UploadLoadedAsync(export.ToBytes(), "export.csv", Week);

        var expected = new Dictionary<string, (string CheckDigit, string Negative)>
        {
            ["ru"] = ($"БИН {bad} не проходит проверку контрольной цифры.", "Число сканирований -3 отрицательное."),
            ["kk"] = ($"{bad} БСН-і бақылау цифрының тексерісінен өтпейді.", "Сканерлеу саны -3 теріс."),
            ["en"] = ($"The BIN {bad} fails the check digit.", "The scans value -3 is negative."),
        };
        foreach (var (language, (checkDigit, negative)) in expected)
        {
            var page = await staff.PageAsync($"/staff/imports/{id}?lang={language}");
            var row = page.QuerySelector("[data-testid=row-errors] tr[data-code=bin_check_digit]")!;
            Assert.Equal(checkDigit, row.Children[3].TextContent.Trim());
            Assert.Equal(negative, page.QuerySelector("[data-testid=row-errors] tr[data-code=scans_negative]")!.Children[3].TextContent.Trim());

            // The CSV follows the language the staff member chose (the cookie the page just set).
            var csv = await staff.Client.GetStringAsync($"/staff/imports/{id}/messages.csv");
            Assert.Contains($";{checkDigit}\r\n", csv, StringComparison.Ordinal);
            Assert.Contains($";-3;{ExportBuilder.BinFor(98)};{negative}\r\n", csv, StringComparison.Ordinal);
            Assert.DoesNotContain("'-3", csv, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SiteTime_ShowsAMomentInTheZoneOfTheSetting_WithItsOffset()
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
        try
        {
            var at = new DateTimeOffset(2026, 11, 30, 7, 33, 0, TimeSpan.Zero);
            var almaty = new SiteTime(Options.Create(new RegistryOptions()));
            var utc = new SiteTime(Options.Create(new RegistryOptions { TimeZone = "Etc/UTC" }));

            Assert.Equal("30 November 2026, 12:33 (UTC+5)", almaty.Moment(at));
            Assert.Equal("30/11/2026 12:33 (UTC+5)", almaty.Format(at, "g"));
            Assert.Equal("30/11/2026 07:33 (UTC)", utc.Format(at, "g"));
            Assert.Equal("UTC+5:30", SiteTime.Offset(new TimeSpan(5, 30, 0)));
            Assert.Equal("UTC−3", SiteTime.Offset(TimeSpan.FromHours(-3)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void TimeZoneSetting_NamingNoZone_IsRefusedNamingTheSetting()
    {
        var options = new RegistryOptions { TimeZone = "Asia/Almata" };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains("TimeZone") && r.ErrorMessage!.Contains("Asia/Almata", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffPages_ShowTimesInAlmaty_SayingSo()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var export = new ExportBuilder();
        for (var n = 1; n <= 20; n++)
            export.Row(ExportBuilder.BinFor(n), "участник");
        var (id, _) = await staff.UploadAndWaitAsync(export.ToBytes(), "export.csv", Week);
        await using (var connection = new NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE imports SET uploaded_at = '2026-11-30 07:33:00+00' WHERE id = $1", connection)
            {
                Parameters = { new() { Value = id } },
            };
            await command.ExecuteNonQueryAsync();
        }

        var list = await staff.PageAsync("/staff/imports?lang=ru");
        var report = await staff.PageAsync($"/staff/imports/{id}?lang=ru");

        Assert.Contains("30.11.2026 12:33 (UTC+5)", list.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("30.11.2026 12:33 (UTC+5)", report.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("07:33", report.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ru", "Работает", "Не подключён к кластеру", "исполнителей: ")]
    [InlineData("kk", "Жұмыс істеп тұр", "Кластерге қосылмаған", "орындаушылар: ")]
    [InlineData("en", "Running", "Not joined to the cluster", " workers")]
    public async Task JobsPage_SaysTheSchedulerAndItsNodesInTheStaffLanguage(string language, string running, string notJoined, string workers)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");

        var page = await staff.PageAsync($"/staff/jobs?lang={language}");

        Assert.Contains(page.QuerySelector("[data-testid=scheduler-status]")!.TextContent.Trim(), new[] { running, notJoined });
        Assert.All(page.QuerySelectorAll("[data-testid=cluster-nodes] tbody tr"), node =>
            Assert.Contains(workers, node.Children[2].TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("NotJoined", page.Body!.TextContent, StringComparison.Ordinal);
    }
}
