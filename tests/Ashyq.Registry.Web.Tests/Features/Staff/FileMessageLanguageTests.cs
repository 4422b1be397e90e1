using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>
/// The messages about a file as a whole (why it was refused, what was ignored) in the staff member's language,
/// from the code and the values stored by name; a message stored before its values were kept, as written.
/// </summary>
public sealed class FileMessageLanguageTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private static readonly Texts Texts = new();

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> FileTextsByLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in ExportMessageCodes.File.Keys)
        {
            foreach (var language in Languages.All)
                data.Add(name, language);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FileTextsByLanguage))]
    public void FileMessage_EveryCodeThePipelineCanWrite_HasItsTextWithExactlyItsValues(string name, string language)
    {
        var key = ImportsController.FileMessageKeyPrefix + name;
        Assert.True(Texts.Has(key), $"{key} has no text.");

        Assert.Equal(ExportMessageCodes.File[name].Order(StringComparer.Ordinal),
            RowMessageText.Placeholders(Texts.Get(key, language)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FileMessage_StoredBeforeItsValuesWereKept_IsShownAsThePipelineWroteIt()
    {
        // Before named values, a file message kept its numbers joined in the value column.
        var stored = new ImportMessageRow("file_error", "read_timeout", null, null, "120",
            null, "Reading 'export.xlsx' took longer than 120 s, the longest one file may take; nothing of it was loaded.");

        Assert.Equal(stored.Message, ImportsController.Say(stored, Texts));
        Assert.Equal(stored.Message, ImportsController.Say(stored with { Args = """{"other":"1"}""" }, Texts));
        Assert.Equal(stored.Message, ImportsController.Say(stored with { Args = "not json" }, Texts));
        Assert.Equal(stored.Message, ImportsController.Say(stored with { Code = "no_such_code", Args = """{"seconds":"120"}""" }, Texts));
    }

    [Theory]
    [InlineData("ru", "Файл не загружен из-за сбоя в самом реестре")]
    [InlineData("kk", "Файл файлдың емес, тізілімнің өз ақауынан жүктелмеді")]
    [InlineData("en", "The file was not loaded because of a fault in the registry itself")]
    public void LoadFailed_TheRegistrysOwnFault_IsSaidInTheReadersLanguage_WithTheRaisedDetail(string language, string start)
    {
        var stored = new ImportMessageRow("file_error", "load_failed", null, null, null, null,
            "The file could not be loaded: injected failure", """{"detail":"P0001: injected failure"}""");

        var before = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        string said;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = Languages.Culture(language);
            said = ImportsController.Say(stored, Texts);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = before;
        }

        Assert.StartsWith(start, said, StringComparison.Ordinal);
        Assert.Contains("P0001: injected failure", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedFile_MissingARequiredColumn_IsExplainedInEachLanguage_PageAndCsvAlike()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var file = Encoding.UTF8.GetBytes($"БИН;Наименование\r\n{ExportBuilder.BinFor(1)};Кафе 1\r\n");
        var (id, progress) = await staff.UploadAndWaitAsync(file, "export.csv", Week);
        Assert.Equal("failed", progress.State);

        var expected = new Dictionary<string, string>
        {
            ["ru"] = "В заголовке файла (строка 1) нет обязательных столбцов: ",
            ["kk"] = "Файл тақырыбында (1-жол) міндетті бағандар жоқ: ",
            ["en"] = "The file's header (line 1) lacks the required columns ",
        };
        foreach (var (language, start) in expected)
        {
            var page = await staff.PageAsync($"/staff/imports/{id}?lang={language}");
            var error = page.QuerySelector("[data-testid=import-error]")!.TextContent.Trim();
            Assert.StartsWith(start, error, StringComparison.Ordinal);
            Assert.Contains("БИН", error, StringComparison.Ordinal);
            var listed = page.QuerySelector("[data-testid=file-messages] li[data-code=missing_columns]")!.TextContent;
            Assert.Contains(start, listed, StringComparison.Ordinal);

            var csv = await staff.Client.GetStringAsync($"/staff/imports/{id}/messages.csv");
            Assert.Contains(start, csv, StringComparison.Ordinal);

            // The list of uploads gives the same reason, in the same language.
            var list = await staff.PageAsync($"/staff/imports?lang={language}");
            var row = list.QuerySelectorAll("[data-testid=import-error]").Select(e => e.TextContent.Trim()).ToList();
            Assert.Contains(row, r => r.StartsWith(start, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RefusedFile_Empty_IsExplainedInRussianAndKazakh()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        var (id, progress) = await staff.UploadAndWaitAsync(Encoding.UTF8.GetBytes(" \r\n\r\n"), "export.csv", Week);
        Assert.Equal("failed", progress.State);

        foreach (var (language, text) in new[] { ("ru", "Файл пуст: в нём нет данных."), ("kk", "Файл бос: онда деректер жоқ.") })
        {
            var page = await staff.PageAsync($"/staff/imports/{id}?lang={language}");
            Assert.Equal(text, page.QuerySelector("[data-testid=import-error]")!.TextContent.Trim());
        }
    }
}
