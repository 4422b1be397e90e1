using System.IO.Compression;
using System.Text;
using Ashyq.Registry.Core.Exports;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>Files the registry refuses as a whole, each with a code and a message that says why.</summary>
public sealed class ExportFileErrorTests : IDisposable
{
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Open_ZeroBytes_IsEmptyFile()
    {
        Assert.Equal("empty_file", OpenFails(_files.WriteBytes("week.csv", [])).Code);
    }

    [Fact]
    public void Open_OnlyWhitespaceAndBom_IsEmptyFile()
    {
        Assert.Equal("empty_file", OpenFails(_files.WriteBytes("week.csv", [0xEF, 0xBB, 0xBF, (byte)' ', (byte)'\r', (byte)'\n', (byte)'\t'])).Code);
    }

    [Fact]
    public void Open_RandomBytes_IsNotACsvOrXlsxFile()
    {
        var bytes = new byte[4096];
        new Random(20210906).NextBytes(bytes);
        bytes[100] = 0;

        var error = OpenFails(_files.WriteBytes("week.csv", bytes));

        Assert.Equal("unsupported_format", error.Code);
        Assert.Contains("not a CSV or XLSX file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ControlCharactersWithoutNulBytes_IsNotACsvOrXlsxFile()
    {
        var bytes = Enumerable.Range(0, 2048).Select(i => (byte)(i % 3 == 0 ? 0x01 + (i % 8) : 'A')).ToArray();

        var error = OpenFails(_files.WriteBytes("week.txt", bytes));

        Assert.Equal("unsupported_format", error.Code);
    }

    [Fact]
    public void Open_Utf16Text_IsRefusedNamingTheEncoding()
    {
        var error = OpenFails(_files.WriteText("week.csv", "\uFEFFБИН;Наименование", Encoding.Unicode));

        Assert.Equal("unsupported_format", error.Code);
        Assert.Contains("UTF-16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LegacyXlsHeader_SaysItIsAnXlsAndWhatIsAccepted()
    {
        var error = OpenFails(_files.WriteBytes("week.xls", [.. OleSignature, .. new byte[1016]]));

        Assert.Equal("unsupported_format", error.Code);
        Assert.Contains(".xls", error.Message, StringComparison.Ordinal);
        Assert.Contains("Accepted: CSV or TXT in UTF-8 or Windows-1251, or an Excel .xlsx workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EncryptedWorkbook_IsEncryptedFile()
    {
        var directoryEntry = new byte[128];
        Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(directoryEntry, 0);

        var error = OpenFails(_files.WriteBytes("week.xlsx", [.. OleSignature, .. new byte[1016], .. directoryEntry]));

        Assert.Equal("encrypted_file", error.Code);
        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OpenDocumentSpreadsheet_IsRefused()
    {
        var path = WriteZip("week.ods", ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<office:document-content/>"));

        var error = OpenFails(path);

        Assert.Equal("unsupported_format", error.Code);
        Assert.Contains("an .ods file is not accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ZipThatIsNoWorkbook_IsRefused()
    {
        var error = OpenFails(WriteZip("week.xlsx", ("readme.txt", "hello")));

        Assert.Equal("unsupported_format", error.Code);
        Assert.Contains("not an Excel workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedXlsx_IsCorruptFile()
    {
        var whole = File.ReadAllBytes(_files.WriteXlsx("whole.xlsx", ["BIN", "Name", "Category", "Scans", "Status"]));

        var error = OpenFails(_files.WriteBytes("week.xlsx", whole[..(whole.Length / 2)]));

        Assert.Equal("corrupt_file", error.Code);
    }

    [Fact]
    public void Open_XlsxWithBrokenSheetXml_IsCorruptFile()
    {
        var path = WriteZip("week.xlsx",
            ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""),
            ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
            ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
            ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""),
            ("xl/worksheets/sheet1.xml", """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>BIN</t></is></c><c"""));

        Assert.Equal("corrupt_file", OpenFails(path).Code);
    }

    [Fact]
    public void Open_XlsxDeclaringAHugeSheet_IsRefusedBeforeReading()
    {
        var bytes = File.ReadAllBytes(_files.WriteXlsx("whole.xlsx", ["BIN"]));
        DeclareUncompressedSize(bytes, "xl/worksheets/sheet1.xml", 3_000_000_000);

        var error = OpenFails(_files.WriteBytes("week.xlsx", bytes));

        Assert.Equal("too_large", error.Code);
    }

    [Fact]
    public void Open_XlsxDeclaringAnAbsurdCompressionRatio_IsRefusedBeforeReading()
    {
        var bytes = File.ReadAllBytes(_files.WriteXlsx("whole.xlsx", ["BIN"]));
        DeclareUncompressedSize(bytes, "xl/worksheets/sheet1.xml", 1_500_000_000);

        var error = OpenFails(_files.WriteBytes("week.xlsx", bytes));

        Assert.Equal("corrupt_file", error.Code);
        Assert.Contains("expands from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_WorkbookCellOfTwoMegabytes_IsLineTooLongNamingTheRow()
    {
        var path = _files.WriteXlsx("week.xlsx", ["BIN", "Name", "Category", "Scans", "Status"], [ValidBins[0], new string('x', 2 * 1024 * 1024), "Cafe", 1, "leader"]);

        var error = OpenFails(path);

        Assert.Equal("line_too_long", error.Code);
        Assert.Contains("row 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WorkbookWithEmptyFirstSheet_IsEmptyFile()
    {
        Assert.Equal("empty_file", OpenFails(_files.WriteXlsx("week.xlsx")).Code);
    }

    [Fact]
    public void Open_HeaderLackingRequiredColumns_NamesThemAndTheColumnsFound()
    {
        var error = OpenFails(_files.WriteCsv("Отчёт за неделю", "БИН;Наименование;Район;Статус", $"{ValidBins[0]};А;Медеу;участник"));

        Assert.Equal("missing_columns", error.Code);
        Assert.Contains("Вид деятельности (Category)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Количество сканирований (Scans)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Статус (Status)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Columns found: 'БИН', 'Наименование', 'Район', 'Статус'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderWithoutBinColumn_NamesTheBinAsMissing()
    {
        var error = OpenFails(_files.WriteCsv("Наименование;Категория;Сканирований;Статус", "А;кафе;1;участник"));

        Assert.Equal("missing_columns", error.Code);
        Assert.Contains("БИН (BIN)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoHeaderRowAtAll_IsNoHeader()
    {
        var error = OpenFails(_files.WriteCsv("just some text", "1;2;3", "more text"));

        Assert.Equal("no_header", error.Code);
    }

    [Fact]
    public void Open_TwoColumnsForOneField_IsRefused()
    {
        var error = OpenFails(_files.WriteCsv("БИН;ИИН;Наименование;Категория;Сканирований;Статус"));

        Assert.Equal("duplicate_column", error.Code);
        Assert.Contains("'БИН' and 'ИИН'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_TenMegabyteLineInTheData_IsLineTooLongNamingTheLine()
    {
        var path = _files.WriteCsv(RussianHeader, Row(ValidBins[0]), Row(ValidBins[1], address: new string('x', 10 * 1024 * 1024)), Row(ValidBins[2]));
        using var file = Open(path);
        using var rows = file.ReadRows().GetEnumerator();

        Assert.True(rows.MoveNext());
        var error = Assert.Throws<ExportFileException>(() => rows.MoveNext());

        Assert.Equal("line_too_long", error.Code);
        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TenMegabyteFirstLine_IsLineTooLong()
    {
        var error = OpenFails(_files.WriteCsv(new string('Ж', 5 * 1024 * 1024), RussianHeader));

        Assert.Equal("line_too_long", error.Code);
        Assert.Contains("Line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_QuoteNeverClosed_IsRefusedNamingTheLine()
    {
        var path = _files.WriteCsv(RussianHeader, Row(ValidBins[0]), Row(ValidBins[1], name: "\"ТОО Незакрытая"), Row(ValidBins[2]));

        var error = OpenFails(path);

        Assert.Equal("corrupt_file", error.Code);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CsvNamedXlsx_IsReadByItsContent()
    {
        var path = _files.WriteText("week.xlsx", $"{RussianHeader}\n{Row(ValidBins[0])}\n");

        var (file, rows) = Read(path);
        using var _ = file;

        Assert.StartsWith("CSV", file.Format, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(rows).Row);
    }

    [Fact]
    public void Open_WorkbookCellOfFiveMegabytes_IsRefusedBeforeTheWorkbookReaderHoldsIt()
    {
        var path = _files.WriteXlsx("week.xlsx", ["BIN", "Name", "Category", "Scans", "Status"], [ValidBins[0], new string('x', 5 * 1024 * 1024), "Cafe", 1, "leader"]);

        var error = OpenFails(path);

        Assert.Equal("line_too_long", error.Code);
        Assert.Contains("xl/worksheets/sheet1.xml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SharedStringOfFiveMegabytes_IsRefusedBeforeTheWorkbookReaderHoldsIt()
    {
        var path = WriteWorkbook(
            """<row r="1"><c r="A1" t="inlineStr"><is><t>BIN</t></is></c><c r="B1" t="s"><v>0</v></c></row>""",
            $"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{new string('x', 5 * 1024 * 1024)}</t></si></sst>""");

        var error = OpenFails(path);

        Assert.Equal("line_too_long", error.Code);
        Assert.Contains("xl/sharedStrings.xml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WorkbookWithARowNumberedPastExcelsLastRow_IsTooLarge()
    {
        var path = WriteWorkbook(
            """<row r="1"><c r="A1" t="inlineStr"><is><t>BIN</t></is></c></row><row r="2000000000"><c r="A2000000000"><v>1</v></c></row>""");

        var error = OpenFails(path);

        Assert.Equal("too_large", error.Code);
        Assert.Contains("1,048,576", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WorkbookWithACellPastColumnXfd_IsTooLarge()
    {
        var path = WriteWorkbook(
            """<row r="1"><c r="A1" t="inlineStr"><is><t>BIN</t></is></c></row><row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>""");

        var error = OpenFails(path);

        Assert.Equal("too_large", error.Code);
        Assert.Contains("column XFD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WorkbookPartWithADocumentType_IsCorruptFile()
    {
        var path = WriteWorkbook(
            """<row r="1"><c r="A1" t="inlineStr"><is><t>&ext;</t></is></c></row>""",
            doctype: """<!DOCTYPE worksheet [<!ENTITY ext SYSTEM "file:///etc/passwd">]>""");

        var error = OpenFails(path);

        Assert.Equal("corrupt_file", error.Code);
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HugeHeaderTitleAndManyColumns_MessageQuotesOnlyTheirStart()
    {
        var titles = string.Join(';', Enumerable.Range(0, 500).Select(i => $"Колонка {i}"));
        var error = OpenFails(_files.WriteCsv($"БИН;Наименование;{new string('x', 500_000)};{titles}", $"{ValidBins[0]};А"));

        Assert.Equal("missing_columns", error.Code);
        Assert.True(error.Message.Length < 3_000, $"The message is {error.Message.Length:N0} characters long.");
        Assert.Contains("(500,000 characters)", error.Message, StringComparison.Ordinal);
        Assert.Contains("and 483 more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WorkbookWithALongBadXmlToken_QuotesOnlyTheStartOfTheParsersMessage()
    {
        var path = WriteWorkbook($"""<row r={new string('x', 100_000)}/>""");

        var error = OpenFails(path);

        Assert.Equal("corrupt_file", error.Code);
        Assert.True(error.Message.Length < 600, $"The message is {error.Message.Length:N0} characters long.");
        Assert.Contains("is damaged and cannot be read: 'xxx", error.Message, StringComparison.Ordinal);
    }

    private string WriteWorkbook(string sheetData, string? sharedStrings = null, string? doctype = null)
    {
        const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var sharedStringsRelationship = sharedStrings is null ? "" : $"""<Relationship Id="rId2" Type="{Relationships}/sharedStrings" Target="sharedStrings.xml"/>""";
        (string, string)[] parts =
        [
            ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""),
            ("_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
            ("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{Relationships}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
            ("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Relationships}/worksheet" Target="worksheets/sheet1.xml"/>{sharedStringsRelationship}</Relationships>"""),
            ("xl/worksheets/sheet1.xml", $"""<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheetData}</sheetData></worksheet>"""),
        ];
        return WriteZip("week.xlsx", sharedStrings is null ? parts : [.. parts, ("xl/sharedStrings.xml", $"""<?xml version="1.0" encoding="UTF-8"?>{sharedStrings}""")]);
    }

    private string WriteZip(string name, params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                using var stream = zip.CreateEntry(entryName).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return _files.WriteBytes(name, buffer.ToArray());
    }

    // Rewrites the uncompressed size that the ZIP central directory declares for one entry.
    private static void DeclareUncompressedSize(byte[] zip, string entryName, uint size)
    {
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == 0x01 && zip[i + 3] == 0x02
                && zip.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
                return;
            }
        }
        throw new InvalidOperationException($"No central directory entry for {entryName}.");
    }
}
