using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Ashyq.Registry.Core.Spreadsheets;

/// <summary>
/// Writes an .xlsx workbook row by row straight into the output stream, so that a large list never sits
/// in memory. Text goes in as inline strings, numbers as numbers, dates as date cells. A second, small
/// sheet known beforehand (a note on where the figures come from) may follow the streamed one.
/// </summary>
public sealed class XlsxWriter : IAsyncDisposable, IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Stream _sheetStream;
    private readonly XmlWriter _sheet;
    private int _row;
    private bool _finished;

    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);
    private static readonly DateTimeOffset FixedEntryTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), CheckCharacters = false };

    public XlsxWriter(Stream output, string sheetName = "Sheet1", string? secondSheetName = null, IReadOnlyList<object?[]>? secondSheetRows = null)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var second = secondSheetName is not null && secondSheetRows is not null;
        var secondType = second
            ? """<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"""
            : "";
        var secondSheet = second ? $"""<sheet name="{System.Security.SecurityElement.Escape(secondSheetName)}" sheetId="2" r:id="rId3"/>""" : "";
        var secondRelation = second
            ? """<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>"""
            : "";
        WriteStatic("[Content_Types].xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{secondType}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
            """);
        WriteStatic("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        WriteStatic("xl/workbook.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{System.Security.SecurityElement.Escape(sheetName)}" sheetId="1" r:id="rId1"/>{secondSheet}</sheets></workbook>
            """);
        WriteStatic("xl/_rels/workbook.xml.rels", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>{secondRelation}</Relationships>
            """);
        // Style 1 is a date (number format 14, the locale's short date).
        WriteStatic("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
            """);

        if (second)
        {
            // Written whole before the streamed sheet: a zip holds its entries in any order.
            using var stream = CreateEntry("xl/worksheets/sheet2.xml").Open();
            using var writer = StartSheet(stream);
            var row = 0;
            foreach (var values in secondSheetRows!)
                WriteRow(writer, ++row, values);
            EndSheet(writer);
        }

        _sheetStream = CreateEntry("xl/worksheets/sheet1.xml").Open();
        _sheet = StartSheet(_sheetStream);
    }

    private static XmlWriter StartSheet(Stream stream)
    {
        var writer = XmlWriter.Create(stream, Settings);
        writer.WriteStartDocument(true);
        writer.WriteStartElement("worksheet", "http://schemas.openxmlformats.org/spreadsheetml/2006/main");
        writer.WriteStartElement("sheetData");
        return writer;
    }

    private static void EndSheet(XmlWriter writer)
    {
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    /// <summary>Writes one row; each value may be a string, a whole or decimal number, a date or null.</summary>
    public void WriteRow(params object?[] values) => WriteRow(_sheet, ++_row, values);

    private static void WriteRow(XmlWriter sheet, int row, object?[] values)
    {
        sheet.WriteStartElement("row");
        sheet.WriteAttributeString("r", row.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
                continue;
            sheet.WriteStartElement("c");
            sheet.WriteAttributeString("r", ColumnName(i) + row.ToString(CultureInfo.InvariantCulture));
            switch (value)
            {
                case int or long or short or decimal or double or float:
                    sheet.WriteElementString("v", Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                case DateOnly date:
                    sheet.WriteAttributeString("s", "1");
                    sheet.WriteElementString("v", (date.DayNumber - ExcelEpoch.DayNumber).ToString(CultureInfo.InvariantCulture));
                    break;
                case DateTime dateTime:
                    sheet.WriteAttributeString("s", "1");
                    sheet.WriteElementString("v", (DateOnly.FromDateTime(dateTime).DayNumber - ExcelEpoch.DayNumber).ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    sheet.WriteAttributeString("t", "inlineStr");
                    sheet.WriteStartElement("is");
                    sheet.WriteStartElement("t");
                    sheet.WriteAttributeString("xml", "space", null, "preserve");
                    sheet.WriteString(XmlSafe(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                    sheet.WriteEndElement();
                    sheet.WriteEndElement();
                    break;
            }
            sheet.WriteEndElement();
        }
        sheet.WriteEndElement();
    }

    public void Dispose()
    {
        Finish();
        _zip.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Finish();
        await _zip.DisposeAsync();
    }

    private void Finish()
    {
        if (_finished)
            return;
        _finished = true;
        EndSheet(_sheet);
        _sheet.Dispose();
        _sheetStream.Dispose();
    }

    private void WriteStatic(string path, string content)
    {
        using var stream = CreateEntry(path).Open();
        var bytes = Encoding.UTF8.GetBytes(content.Trim());
        stream.Write(bytes);
    }

    // A zip entry otherwise records the clock, and the same rows would give different bytes each run.
    private ZipArchiveEntry CreateEntry(string path)
    {
        var entry = _zip.CreateEntry(path, CompressionLevel.Fastest);
        entry.LastWriteTime = FixedEntryTime;
        return entry;
    }

    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + ((n - 1) % 26)) + name;
        return name;
    }

    // XML 1.0 cannot carry most control characters; a spreadsheet cell has no use for them either.
    private static string XmlSafe(string text) => Exports.TextNormalizer.RemoveUnsafeCharacters(text);
}
