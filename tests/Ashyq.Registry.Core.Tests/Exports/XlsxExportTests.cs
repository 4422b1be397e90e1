using Ashyq.Registry.Core.Exports;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>Workbooks written cell by cell, to check how typed cells are read.</summary>
public sealed class XlsxExportTests : IDisposable
{
    private static readonly object?[] Header = ["BIN", "Name", "Category", "District", "Joined on", "Scans", "Flagged visitors", "Status"];

    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_NumericBinThatLostItsZeros_IsPaddedToTwelveDigits()
    {
        var rows = ReadSheet(["Title"], [], Header, [4951446571L, "A", "Cafe", "Almaly", null, 1, 0, "leader"]);

        var row = Assert.Single(rows);
        Assert.Equal((4, "004951446571"), (row.LineNo, row.Row!.Bin));
    }

    [Fact]
    public void Read_NumericBinFailingTheCheckDigit_ReportsTheValueAsRead()
    {
        var rows = ReadSheet(Header, [4951446572L, "A", "Cafe", null, null, 1, 0, "leader"]);

        var error = Assert.Single(Assert.Single(rows).Messages);
        Assert.Equal(("bin_check_digit", 2, "BIN", "4951446572", "004951446572"), (error.Code, error.LineNo!.Value, error.Column!, error.Value!, error.Bin!));
    }

    [Fact]
    public void Read_JoinedOnAsDateCellSerialNumberOrText_IsTheSameDate()
    {
        var rows = ReadSheet(Header,
            [ValidBins[0], "A", "Cafe", null, new DateOnly(2021, 7, 15), 1, 0, "participant"],
            [ValidBins[1], "B", "Cafe", null, 44392, 1, 0, "participant"],
            [ValidBins[2], "C", "Cafe", null, "15.07.2021", 1, 0, "participant"],
            [ValidBins[3], "D", "Cafe", null, "2021-07-15", 1, 0, "participant"]);

        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(new DateOnly(2021, 7, 15), r.Row!.JoinedOn));
    }

    [Fact]
    public void Read_JoinedOnPlainNumberOutsideThisCentury_IsARowError()
    {
        var rows = ReadSheet(Header, [ValidBins[0], "A", "Cafe", null, 2021, 1, 0, "participant"]);

        Assert.Equal(("joined_on_invalid", "2021"), (Assert.Single(rows[0].Messages).Code, rows[0].Messages[0].Value!));
    }

    [Fact]
    public void Read_JoinedOnTextThatIsNoDate_IsARowError()
    {
        var rows = ReadSheet(Header, [ValidBins[0], "A", "Cafe", null, "July", 1, 0, "participant"]);

        Assert.Equal(("joined_on_invalid", "Joined on"), (Assert.Single(rows[0].Messages).Code, rows[0].Messages[0].Column!));
    }

    [Fact]
    public void Read_ScansAsNumberOrText_AreWholeNumbers()
    {
        var rows = ReadSheet(Header,
            [ValidBins[0], "A", "Cafe", null, null, 280.0, 3, "participant"],
            [ValidBins[1], "B", "Cafe", null, null, "1 234", "0", "participant"]);

        Assert.Equal([(280, 3), (1234, 0)], rows.Select(r => (r.Row!.Scans, r.Row.FlaggedVisitors)).ToArray());
    }

    [Theory]
    [InlineData(12.5, "scans_invalid")]
    [InlineData(-4.0, "scans_negative")]
    public void Read_ScansNumberNotAWholeNonNegative_IsARowError(double scans, string code)
    {
        var rows = ReadSheet(Header, [ValidBins[0], "A", "Cafe", null, null, scans, 0, "participant"]);

        Assert.Equal(code, Assert.Single(rows[0].Messages).Code);
    }

    [Fact]
    public void Read_ScansAsDateCell_IsNotAWholeNumber()
    {
        var rows = ReadSheet(Header, [ValidBins[0], "A", "Cafe", null, null, new DateOnly(2021, 1, 1), 0, "participant"]);

        Assert.Equal("scans_invalid", Assert.Single(rows[0].Messages).Code);
    }

    [Fact]
    public void Read_RowNumbers_AreSheetRowsCountingEmptyOnes()
    {
        var rows = ReadSheet(["Ashyq, 20.09.2021 - 26.09.2021"], [], [], Header,
            [ValidBins[0], "A", "Cafe", null, null, 1, 0, "participant"],
            [],
            [ValidBins[1], "B", "Cafe", null, null, 1, 0, "participant"],
            [null, "Итого", null, null, null, 2, null, null]);

        Assert.Equal([5, 7], rows.Select(r => r.LineNo).ToArray());
    }

    [Fact]
    public void Open_Workbook_DescribesItsFormatAndTitlePeriod()
    {
        using var file = Open(_files.WriteXlsx("week.xlsx", ["Ashyq participants, 20.09.2021 – 26.09.2021"], Header));

        Assert.Equal("XLSX, sheet 'Лист1'", file.Format);
        Assert.Equal((new DateOnly(2021, 9, 20), new DateOnly(2021, 9, 26)), (file.TitlePeriodStart!.Value, file.TitlePeriodEnd!.Value));
    }

    [Fact]
    public void Open_KazakhHeadersInAWorkbook_AreMatched()
    {
        var rows = ReadSheet(["БСН/ЖСН", "Нысан атауы", "Санат", "Аудан", "Сканерлеу саны", "Мәртебе", "Себебі"],
            [ValidBins[0], "Өрнек", "Фитнес-клуб «Алау»", "Әуезов ауданы", 5, "шығарылды", "Сканерлемейді"]);

        var row = Assert.Single(rows).Row!;
        Assert.Equal(("fitness", "auezov", BusinessStatus.Excluded), (row.CategoryCode, row.DistrictCode, row.Status));
    }

    private List<ExportRowResult> ReadSheet(params object?[][] sheetRows)
    {
        var (file, rows) = Read(_files.WriteXlsx("week.xlsx", sheetRows));
        file.Dispose();
        return rows;
    }
}
