using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>The three sample files of the contract, one per dialect, read end to end.</summary>
public sealed class SampleExportTests
{
    [Fact]
    public void Read_Cp1251Semicolon_FindsHeaderAfterTitleLines()
    {
        using var file = ExportTestFiles.Open(ExportTestFiles.SamplePath("week-2021-09-06-ru-cp1251.csv"));

        Assert.Equal("CSV, Windows-1251, ';'", file.Format);
        Assert.Equal(3, file.HeaderLineNo);
        Assert.Equal(new DateOnly(2021, 9, 6), file.TitlePeriodStart);
        Assert.Equal(new DateOnly(2021, 9, 12), file.TitlePeriodEnd);
        Assert.Empty(file.FileWarnings); // the № column is noise, not an unknown column
    }

    [Fact]
    public void Read_Cp1251Semicolon_LoadsRowsAndReportsTheTwoBadOnes()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-06-ru-cp1251.csv"));
        using var _ = file;

        Assert.Equal(32, file.DataRows); // the closing «Итого» row is skipped
        Assert.Equal(32, rows.Count);
        Assert.Equal(Enumerable.Range(4, 32), rows.Select(r => r.LineNo));
        Assert.Equal(30, rows.Count(r => r.Row is not null));

        var checkDigit = Assert.Single(rows.Single(r => r.LineNo == 34).Messages);
        Assert.Equal(("bin_check_digit", MessageSeverity.RowError, 34, "БИН", "004951446572"),
            (checkDigit.Code, checkDigit.Severity, checkDigit.LineNo!.Value, checkDigit.Column!, checkDigit.Value!));

        var negative = Assert.Single(rows.Single(r => r.LineNo == 35).Messages);
        Assert.Equal(("scans_negative", 35, "Количество сканирований", "-3"),
            (negative.Code, negative.LineNo!.Value, negative.Column!, negative.Value!));
    }

    [Fact]
    public void Read_Cp1251Semicolon_NormalisesEachRow()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-06-ru-cp1251.csv"));
        using var _ = file;

        var first = rows[0].Row!;
        Assert.Equal(new ExportRow(4, "004951446571", "ТОО \"Образец 0\"", "hotels", "Отель", "turksib", "пр. Абая, 1",
            new DateOnly(2021, 7, 15), 536, 0, BusinessStatus.Participant, null), first);
        Assert.Equal("medeu", rows[1].Row!.DistrictCode); // «Медеуский район»
        Assert.Equal(BusinessStatus.Outsider, rows[6].Row!.Status);
        var atelier = rows.First(r => r.Row?.CategoryRaw == "Ателье");
        Assert.Equal("other", atelier.Row!.CategoryCode);
        Assert.Equal("category_unknown", Assert.Single(atelier.Messages).Code);
    }

    [Fact]
    public void Read_KazakhUtf8Bom_ReadsKazakhHeadersAndStatuses()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-13-kk-utf8bom.csv"));
        using var _ = file;

        Assert.Equal("CSV, UTF-8 with BOM, ','", file.Format);
        Assert.Equal(1, file.HeaderLineNo);
        Assert.Null(file.TitlePeriodStart);
        Assert.Equal(31, file.DataRows);
        Assert.All(rows, r => Assert.NotNull(r.Row));
        Assert.Equal(new ExportRow(2, "004951446571", "ТОО \"Образец 0\"", "hotels", "Отель", "turksib", "Абай даңғылы, 1",
            null, 131, 0, BusinessStatus.Participant, null), rows[0].Row);
        Assert.Equal(BusinessStatus.Leader, rows[2].Row!.Status); // көшбасшы
        Assert.Equal(BusinessStatus.Outsider, rows[6].Row!.Status); // аутсайдер
    }

    [Fact]
    public void Read_KazakhUtf8Bom_FilesShashtarazUnderOtherWithAWarning()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-13-kk-utf8bom.csv"));
        using var _ = file;

        var last = rows[^1];
        Assert.Equal(32, last.LineNo);
        Assert.Equal(("912550558992", "other", "Шаштараз", BusinessStatus.Excluded, "Сканерлемейді"),
            (last.Row!.Bin, last.Row.CategoryCode, last.Row.CategoryRaw, last.Row.Status, last.Row.Reason));
        var warning = Assert.Single(last.Messages);
        Assert.Equal(("category_unknown", MessageSeverity.RowWarning, "Қызмет түрі", "Шаштараз"),
            (warning.Code, warning.Severity, warning.Column!, warning.Value!));
    }

    [Fact]
    public void Read_EnglishXlsx_PadsNumericBinsAndReadsExcelDates()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-20-en.xlsx"));
        using var _ = file;

        Assert.Equal("XLSX, sheet 'Ashyq'", file.Format);
        Assert.Equal(3, file.HeaderLineNo);
        Assert.Equal((new DateOnly(2021, 9, 20), new DateOnly(2021, 9, 26)), (file.TitlePeriodStart, file.TitlePeriodEnd));
        Assert.Equal(30, file.DataRows);
        Assert.All(rows, r => Assert.NotNull(r.Row));
        Assert.Equal(new ExportRow(4, "004951446571", "ТОО \"Образец 0\"", "hotels", "Отель", "turksib", null,
            new DateOnly(2021, 7, 15), 280, 0, BusinessStatus.Participant, null), rows[0].Row);
        Assert.Equal("016362457215", rows.Single(r => r.LineNo == 11).Row!.Bin);
        Assert.Equal("medeu", rows[1].Row!.DistrictCode); // «Medeu district»
    }

    [Fact]
    public void Read_EnglishXlsx_AcceptsStatusInMixedCase()
    {
        var (file, rows) = ExportTestFiles.Read(ExportTestFiles.SamplePath("week-2021-09-20-en.xlsx"));
        using var _ = file;

        Assert.Equal(BusinessStatus.Leader, rows.Single(r => r.LineNo == 7).Row!.Status); // "Leader"
        Assert.Equal(BusinessStatus.Participant, rows.Single(r => r.LineNo == 12).Row!.Status); // "participant"
    }
}
