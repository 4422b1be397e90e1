using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>The messages of an import's report, its page and its CSV, in the staff member's language, from the codes and values stored.</summary>
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
        var id = await staff.UploadExpectingImportAsync(export.ToBytes(), "export.csv", Week);
        Assert.Equal("loaded", (await staff.WaitForImportAsync(id)).State);

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
}
