using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Fuzz;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>
/// Files that cost the reader memory or time out of all proportion to their size, and files put together
/// carelessly: each is refused at once with a message that says what to do, or read with its warnings summed up.
/// </summary>
public sealed class ExportFileBoundsTests : IDisposable
{
    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    private static readonly string[] FiveFields = ["БИН", "Наименование", "Вид деятельности", "Количество сканирований", "Статус"];

    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Open_WorkbookNestingEightMillionDeep_IsRefusedBeforeTheWorkbookReaderFollowsIt()
    {
        var path = WriteHostile("xlsx-nested-8m-sheet");
        var allocated = AllocationMeter.Start();

        var error = OpenFails(path);

        Assert.Equal("xml_too_deep", error.Code);
        Assert.Contains("xl/worksheets/sheet1.xml", error.Message, StringComparison.Ordinal);
        // A reader that followed eight million open elements would keep state for each; the refusal reads a few buffers (about 0.5 MB).
        allocated.AssertBelow(4 * 1024 * 1024);
        Assert.True(new FileInfo(path).Length < 100_000, $"The file is {new FileInfo(path).Length:N0} bytes.");
    }

    [Theory]
    [InlineData("xlsx-far-cell-and-row", "XFD2")]
    [InlineData("xlsx-far-row-wide-header", "XFD1")]
    public void Open_WorkbookWithAStrayCellFarAway_IsRefusedNamingIt(string shape, string farthest)
    {
        var path = WriteHostile(shape);
        var allocated = AllocationMeter.Start();

        var error = OpenFails(path);

        Assert.Equal("sheet_too_sparse", error.Code);
        Assert.Contains(farthest, error.Message, StringComparison.Ordinal);
        Assert.Contains("16,384 columns", error.Message, StringComparison.Ordinal);
        // The refusal reads the sheet's bounds (about 0.5 MB), never a row as wide as its farthest cell.
        allocated.AssertBelow(4 * 1024 * 1024);
    }

    [Fact]
    public void Open_WorkbookWithAFewEmptyColumnsAndGapsWithinBounds_IsRead()
    {
        var path = _files.WriteXlsx("week.xlsx",
            ["БИН", "Наименование", "Вид деятельности", "Количество сканирований", "Статус", null, null, null, null, "заметка"],
            [ValidBins[0], "ТОО Первое", "Кафе", 10, "участник"],
            [],
            [],
            [ValidBins[1], "ТОО Второе", "Кафе", 5, "лидер"]);

        var (file, rows) = Read(path);
        using var _ = file;

        Assert.Equal(2, rows.Count(row => row.Row is not null));
    }

    [Fact]
    public void Open_WorkbookWithAStrayCellFarBelowWithinTheAllowance_IsRead()
    {
        var header = string.Concat(FiveFields.Select((title, i) => $"""<c r="{(char)('A' + i)}1" t="inlineStr"><is><t>{title}</t></is></c>"""));
        var path = WriteSheet($"""<row r="1">{header}</row><row r="1000000"><c r="J1000000" t="inlineStr"><is><t>заметка</t></is></c></row>""");

        var (file, rows) = Read(path);
        using var _ = file;

        Assert.All(rows, row => Assert.Null(row.Row));
        Assert.True(rows.Count <= 1, $"{rows.Count} rows.");
    }

    [Theory]
    [InlineData("xlsx-5m-shared-strings")]
    [InlineData("xlsx-shared-strings-count-2e9")]
    public void Open_WorkbookWhoseSharedStringsWouldFillMemory_IsRefused(string shape)
    {
        var error = OpenFails(WriteHostile(shape));

        Assert.Equal("shared_strings_too_large", error.Code);
        Assert.Contains("64 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LimitsFromSettings_AreTheOnesApplied()
    {
        var path = _files.WriteXlsx("week.xlsx", ["БИН", "Наименование", "Вид деятельности", "Количество сканирований", "Статус"]);
        var shallow = ExportLimits.From(new RegistryOptions { XlsxMaxXmlDepth = 8 });
        var sharedStrings = WriteHostile("xlsx-5m-shared-strings");
        var small = ExportLimits.From(new RegistryOptions { XlsxMaxSharedStringsMegabytes = 1 });

        var tooDeep = Assert.Throws<ExportFileException>(() => ExportFile.Open(WriteHostileDepth(9), "week.xlsx", Categories, shallow));
        using (ExportFile.Open(path, "week.xlsx", Categories, shallow))
        {
        }
        var tooMany = Assert.Throws<ExportFileException>(() => ExportFile.Open(sharedStrings, "export.xlsx", Categories, small));

        Assert.Equal("xml_too_deep", tooDeep.Code);
        Assert.Contains("more than 8 deep", tooDeep.Message, StringComparison.Ordinal);
        Assert.Equal("shared_strings_too_large", tooMany.Code);
        Assert.Contains("more than 1 MiB", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_PastTheTimeBound_IsRefusedAsReadTimeout()
    {
        var lines = Enumerable.Range(0, 2_000).Select(i => Row(ExportFuzzSeeds.BinFor(i))).Prepend(RussianHeader).ToArray();
        var path = _files.WriteCsv(lines);
        var limits = ExportLimits.Default with { ReadTimeout = TimeSpan.FromMilliseconds(300) };

        using var file = ExportFile.Open(path, "week.csv", Categories, limits);
        var error = Assert.Throws<ExportFileException>(() =>
        {
            foreach (var _ in file.ReadRows())
                Thread.Sleep(1);
        });

        Assert.Equal("read_timeout", error.Code);
        Assert.Contains("nothing of it was loaded", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["seconds"] = "0" }, error.Args);
    }

    [Fact]
    public void Open_CsvMixingUtf8AndWindows1251Lines_IsRefusedNamingTheLinesOfEach()
    {
        var error = OpenFails(WriteHostile("csv-mixed-encodings"));

        Assert.Equal("mixed_encoding", error.Code);
        Assert.Contains("10 lines are UTF-8 (lines 5, 9, 13, 17, 21, …)", error.Message, StringComparison.Ordinal);
        Assert.Contains("31 are not (lines 1, 2, 3, 4, 6, …, read as Windows-1251)", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string>
        {
            ["utfcount"] = "10",
            ["utflines"] = "5, 9, 13, 17, 21, …",
            ["othercount"] = "31",
            ["otherlines"] = "1, 2, 3, 4, 6, …",
        }, error.Args);
    }

    [Fact]
    public void Open_Windows1251FileWithTypographicSigns_IsStillReadAsWindows1251()
    {
        var text = string.Join("\r\n", RussianHeader, Row(ValidBins[0], name: "ТОО «Рёбрышки» — №1"), Row(ValidBins[1], name: "ИП Ёлкин")) + "\r\n";
        var path = _files.WriteBytes("week.csv", Windows1251.GetBytes(text));

        var (file, rows) = Read(path);
        using var _ = file;

        Assert.Equal("CSV, Windows-1251, ';'", file.Format);
        Assert.Contains("«Рёбрышки» — №1", rows[0].Row!.Name, StringComparison.Ordinal);
        Assert.Contains("Ёлкин", rows[1].Row!.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TwentyThousandUnknownColumns_GivesOneWarningWithACountAndTheFirstFew()
    {
        var (file, rows) = Read(WriteHostile("csv-20k-unknown-columns"));
        using var _ = file;

        var warning = Assert.Single(file.FileWarnings);
        Assert.Equal("unknown_columns", warning.Code);
        Assert.StartsWith("20,000 columns of 'csv-20k-unknown-columns.csv' are not part of the weekly export", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'Лишняя колонка 0', 'Лишняя колонка 1'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("and 19,990 more", warning.Message, StringComparison.Ordinal);
        Assert.True(warning.Message.Length < 1_000, $"{warning.Message.Length:N0} characters.");
        Assert.Equal("20000", warning.Args!["count"]);
        Assert.StartsWith("'Лишняя колонка 0'", warning.Args["titles"], StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(rows).Row);
    }

    [Fact]
    public void Open_AFewUnknownColumns_AreStillNamedOneByOne()
    {
        var (file, _) = Read(_files.WriteCsv(RussianHeader + ";Менеджер;Телефон", Row(ValidBins[0]) + ";x;y"));
        using (file)
            Assert.Equal(["unknown_column", "unknown_column"], file.FileWarnings.Select(w => w.Code));
    }

    [Fact]
    public void Lines_OfAGroupOfAHundredThousand_NameTheFirstFewAndCountTheRest()
    {
        var lines = Enumerable.Range(2, 100_000).ToArray();
        var allocated = AllocationMeter.Start();

        var texts = lines.Select(line => MessageText.Lines(lines, except: line)).ToList();

        Assert.Equal("3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 99,989 more", texts[0]);
        Assert.Equal("2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 99,989 more", texts[^1]);
        Assert.Equal("3", MessageText.Lines([2, 3], except: 2));
        // About 650 bytes a text (65 MB in all); writing each line of the group into each text would be thousands of times more.
        allocated.AssertBelow(256L * 1024 * 1024);
    }

    private string WriteHostile(string name)
    {
        var hostile = HostileExportFiles.All.Single(file => file.Name == name);
        var path = _files.WriteBytes(name + Path.GetExtension(hostile.FileName), []);
        hostile.Write(path);
        return path;
    }

    private string WriteHostileDepth(int depth) => WriteSheet(
        """<row r="1"><c r="A1" t="inlineStr"><is><t>БИН</t></is></c></row><row r="2">"""
        + string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth)) + "</row>");

    private string WriteSheet(string rows)
    {
        var sheet = $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>""";
        var template = File.ReadAllBytes(_files.WriteXlsx("template.xlsx", ["БИН"]));
        using var zip = new MemoryStream();
        zip.Write(template);
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry("xl/worksheets/sheet1.xml")!.Delete();
            using var entry = archive.CreateEntry("xl/worksheets/sheet1.xml").Open();
            entry.Write(Encoding.UTF8.GetBytes(sheet));
        }
        return _files.WriteBytes($"sheet-{Guid.NewGuid():N}.xlsx", zip.ToArray());
    }
}
