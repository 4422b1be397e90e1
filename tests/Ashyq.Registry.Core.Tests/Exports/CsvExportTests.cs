using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Exports;

public sealed class CsvExportTests : IDisposable
{
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_QuotedFieldWithLineBreaksAndQuotes_KeepsThemAndNumbersLinesFromTheRecordStart()
    {
        var path = _files.WriteText("export.csv",
            "BIN,Name,Category,Address,Scans,Status\n"
            + $"{ExportTestFiles.ValidBins[0]},\"Cafe \"\"Dostar\"\", Ltd\",кафе,\"Abai ave, 1\nfloor 2\",5,leader\n"
            + $"{ExportTestFiles.ValidBins[1]},Second,кафе,,6,participant\n");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal("CSV, UTF-8, ','", file.Format);
        Assert.Equal(("Cafe \"Dostar\", Ltd", "Abai ave, 1\nfloor 2", 2), (rows[0].Row!.Name, rows[0].Row!.Address, rows[0].LineNo));
        Assert.Equal(4, rows[1].LineNo);
    }

    [Fact]
    public void Read_TabDelimited_DetectsTheDelimiterFromTheHeader()
    {
        var path = _files.WriteText("export.txt",
            "Report, Almaty, 2021\n"
            + "BIN\tName\tCategory\tScans\tStatus\n"
            + $"{ExportTestFiles.ValidBins[0]}\tShop; with, punctuation\tТЦ\t1 234\tparticipant\n");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal("CSV, UTF-8, TAB", file.Format);
        Assert.Equal(("Shop; with, punctuation", "markets", 1234), (rows[0].Row!.Name, rows[0].Row!.CategoryCode, rows[0].Row!.Scans));
    }

    [Fact]
    public void Read_LfLineEndsAndNoFinalLineBreak_ReadsTheLastRow()
    {
        var path = _files.WriteText("export.csv", $"BIN;Name;Category;Scans;Status\n{ExportTestFiles.ValidBins[0]};A;кафе;1;лидер");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal(BusinessStatus.Leader, Assert.Single(rows).Row!.Status);
    }

    [Fact]
    public void Read_HeadersInAnyOrderWithNoise_MatchesEveryColumn()
    {
        var path = _files.WriteCsv(
            "Статус:;  № ; наименование  ОБЪЕКТА ;Кол-во сканирований;вид деятельности.;№ БИН / ИИН;Дата вступления;Причина исключения;Выявлено лиц с нарушением режима самоизоляции;Адрес объекта",
            $"исключён;1;ТОО А;7;Столовая;{ExportTestFiles.ValidBins[0]};2021-07-15;Не сканирует;2;ул. 1");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Empty(file.FileWarnings);
        Assert.Equal(new ExportRow(2, ExportTestFiles.ValidBins[0], "ТОО А", "catering", "Столовая", null, "ул. 1",
            new DateOnly(2021, 7, 15), 7, 2, BusinessStatus.Excluded, "Не сканирует"), rows[0].Row);
    }

    [Fact]
    public void Open_UnknownColumns_WarnsOnceNamingEach()
    {
        var path = _files.WriteCsv("БИН;Наименование;Телефон;Категория;Сканирований;Статус;E-mail",
            $"{ExportTestFiles.ValidBins[0]};А;+7 701;кафе;1;участник;a@b.kz",
            $"{ExportTestFiles.ValidBins[1]};Б;+7 702;кафе;1;участник;c@d.kz");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal([("unknown_column", "Телефон"), ("unknown_column", "E-mail")],
            file.FileWarnings.Select(w => (w.Code, w.Column!)).ToArray());
        Assert.All(file.FileWarnings, w => Assert.Equal(MessageSeverity.FileWarning, w.Severity));
        Assert.Equal(2, rows.Count(r => r.Row is not null));
    }

    [Theory]
    [InlineData("Итого")]
    [InlineData("Всего: 2")]
    [InlineData("Барлығы")]
    [InlineData("Жиыны:")]
    [InlineData("TOTAL")]
    public void Read_ClosingTotalRow_IsSkipped(string label)
    {
        var path = _files.WriteCsv("№;БИН;Наименование;Категория;Сканирований;Статус",
            $"1;{ExportTestFiles.ValidBins[0]};А;кафе;1;участник",
            ";;;;;",
            $"{label};;;;2;");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Single(rows);
        Assert.Equal(1, file.DataRows);
    }

    [Fact]
    public void Read_RowWithEmptyBinStartingWithAWordLikeTotal_IsStillARow()
    {
        var path = _files.WriteCsv("Наименование;БИН;Категория;Сканирований;Статус", "Totally Fun;;кафе;1;участник");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal("bin_missing", Assert.Single(Assert.Single(rows).Messages).Code);
    }

    [Fact]
    public void Read_WindowsCp1251WithoutTitle_IsDecodedAsCp1251()
    {
        var cp1251 = CodePagesEncoding();
        var path = _files.WriteText("export.csv", $"БИН;Наименование;Категория;Сканирований;Статус\r\n{ExportTestFiles.ValidBins[0]};Ёлка;кафе;1;Участник\r\n", cp1251);

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal("CSV, Windows-1251, ';'", file.Format);
        Assert.Equal("Ёлка", rows[0].Row!.Name);
    }

    [Fact]
    public void Read_Utf8WithoutBom_IsUtf8()
    {
        var path = _files.WriteText("export.csv", $"БИН;Наименование;Категория;Сканирований;Статус\n{ExportTestFiles.ValidBins[0]};Өрнек;кафе;1;қатысушы\n");

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal("CSV, UTF-8, ';'", file.Format);
        Assert.Equal("Өрнек", rows[0].Row!.Name);
    }

    [Theory]
    [InlineData("Выгрузка участников проекта Ashyq, г. Алматы, за период 19.07.2021 – 25.07.2021", "2021-07-19", "2021-07-25")]
    [InlineData("Период: 2021-07-19 — 2021-07-25", "2021-07-19", "2021-07-25")]
    [InlineData("Ashyq, 19.07.2021-25.07.2021", "2021-07-19", "2021-07-25")]
    [InlineData("с 19.07.2021 по 25.07.2021", "2021-07-19", "2021-07-25")]
    public void Open_TitleLineNamingAPeriod_ExposesItsDates(string title, string start, string end)
    {
        var path = _files.WriteCsv(title, "", "БИН;Наименование;Категория;Сканирований;Статус", $"{ExportTestFiles.ValidBins[0]};А;кафе;1;участник");

        using var file = ExportTestFiles.Open(path);

        Assert.Equal((DateOnly.Parse(start, CultureInfo.InvariantCulture), DateOnly.Parse(end, CultureInfo.InvariantCulture)), (file.TitlePeriodStart!.Value, file.TitlePeriodEnd!.Value));
    }

    [Fact]
    public void Open_TenTitleLines_StillFindsTheHeader()
    {
        var lines = Enumerable.Range(1, 10).Select(i => $"Title line {i}")
            .Append("БИН;Наименование;Категория;Сканирований;Статус")
            .Append($"{ExportTestFiles.ValidBins[0]};А;кафе;1;участник")
            .ToArray();

        using var file = ExportTestFiles.Open(_files.WriteCsv(lines));

        Assert.Equal(11, file.HeaderLineNo);
        Assert.Null(file.TitlePeriodStart);
    }

    [Fact]
    public void Open_ElevenTitleLines_HasNoHeader()
    {
        var lines = Enumerable.Range(1, 11).Select(i => $"Title line {i}")
            .Append("БИН;Наименование;Категория;Сканирований;Статус")
            .ToArray();

        var error = ExportTestFiles.OpenFails(_files.WriteCsv(lines));

        Assert.Equal("no_header", error.Code);
    }

    [Fact]
    public void ReadRows_SecondCall_IsRefused()
    {
        using var file = ExportTestFiles.Open(_files.WriteCsv("БИН;Наименование;Категория;Сканирований;Статус"));

        _ = file.ReadRows().ToList();

        Assert.Equal(0, file.DataRows);
        Assert.Throws<InvalidOperationException>(() => file.ReadRows());
    }

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1251);
    }
}
