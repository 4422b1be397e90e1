using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Ashyq.Registry.Fuzz;

/// <summary>One crafted file, written straight to disk by <see cref="Write"/> (the big ones never sit in memory).</summary>
public sealed record HostileFile(string Name, string FileName, string Description, Action<string> Write)
{
    public override string ToString() => Name;
}

/// <summary>
/// Files made to hurt a reader rather than damaged by chance: huge cells, archives that inflate to
/// gigabytes, XML that nests or expands without end, pointers to nowhere, encrypted and foreign containers.
/// </summary>
public static class HostileExportFiles
{
    private const int HugeCellBytes = 100 * 1024 * 1024;
    private const long BombBytes = 1_900_000_000;

    private const string SheetStart = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""";
    private const string SheetEnd = "</sheetData></worksheet>";
    private const string HeaderRow = """<row r="1"><c r="A1" t="inlineStr"><is><t>БИН</t></is></c><c r="B1" t="inlineStr"><is><t>Наименование</t></is></c><c r="C1" t="inlineStr"><is><t>Категория</t></is></c><c r="D1" t="inlineStr"><is><t>Сканирований</t></is></c><c r="E1" t="inlineStr"><is><t>Статус</t></is></c></row>""";

    public static IReadOnlyList<HostileFile> All { get; } =
    [
        new("csv-100mb-cell", "export.csv", "a data row whose name is one 100 MB cell", path => WriteCsvWithHugeCell(path, quoted: false, beforeHeader: false)),
        new("csv-100mb-quoted-cell", "export.csv", "a quoted 100 MB cell full of line breaks", path => WriteCsvWithHugeCell(path, quoted: true, beforeHeader: false)),
        new("csv-100mb-unclosed-quote", "export.csv", "a quote opened in the title line and never closed, 100 MB before the end", path => WriteCsvWithHugeCell(path, quoted: true, beforeHeader: true)),
        new("csv-400k-columns-header", "export.csv", "a header of 400,000 columns", path => WriteCsvWithManyColumns(path, inHeader: true)),
        new("csv-400k-columns-row", "export.csv", "a data row of 400,000 cells", path => WriteCsvWithManyColumns(path, inHeader: false)),
        new("csv-invalid-utf8-and-nul", "export.csv", "UTF-8 with a broken sequence and a NUL byte in a cell", WriteCsvWithNul),
        new("xlsx-100mb-inline-cell", "export.xlsx", "a worksheet with one 100 MB inline text cell", path => WriteWorkbookWithHugeCell(path, shared: false)),
        new("xlsx-100mb-shared-string", "export.xlsx", "a 100 MB shared string", path => WriteWorkbookWithHugeCell(path, shared: true)),
        new("xlsx-zip-bomb-declared", "export.xlsx", "a 2 MB archive whose sheet inflates to 1.9 GB, sizes declared honestly", path => WriteZipBomb(path, "xl/worksheets/sheet1.xml", lie: false)),
        new("xlsx-zip-bomb-lying", "export.xlsx", "a 2 MB archive whose sheet inflates to 1.9 GB while its headers claim 40 KB", path => WriteZipBomb(path, "xl/worksheets/sheet1.xml", lie: true)),
        new("xlsx-zip-bomb-shared-strings", "export.xlsx", "shared strings that inflate to 1.9 GB while the headers claim 40 KB", path => WriteZipBomb(path, "xl/sharedStrings.xml", lie: true)),
        new("xlsx-absurd-declared-size", "export.xlsx", "a sheet that declares 4 GB uncompressed", WriteAbsurdDeclaredSize),
        new("xlsx-nested-sheet", "export.xlsx", "100,000 nested elements inside the sheet data", path => WriteNested(path, "xl/worksheets/sheet1.xml")),
        new("xlsx-nested-shared-strings", "export.xlsx", "100,000 nested elements in the shared strings", path => WriteNested(path, "xl/sharedStrings.xml")),
        new("xlsx-nested-workbook", "export.xlsx", "100,000 nested elements in the workbook part", path => WriteNested(path, "xl/workbook.xml")),
        new("xlsx-billion-laughs-sheet", "export.xlsx", "exponential entity expansion in the sheet", path => WriteWithDoctype(path, "xl/worksheets/sheet1.xml", external: false)),
        new("xlsx-billion-laughs-shared-strings", "export.xlsx", "exponential entity expansion in the shared strings", path => WriteWithDoctype(path, "xl/sharedStrings.xml", external: false)),
        new("xlsx-external-entity", "export.xlsx", "an external entity pointing at a local file", path => WriteWithDoctype(path, "xl/worksheets/sheet1.xml", external: true)),
        new("xlsx-shared-string-out-of-range", "export.xlsx", "cells pointing at shared strings that do not exist", WriteSharedStringOutOfRange),
        new("xlsx-row-number-2e9", "export.xlsx", "a row numbered 2,000,000,000 after the header", path => WriteSheet(path, HeaderRow + """<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row>""")),
        new("xlsx-column-beyond-xfd", "export.xlsx", "a cell in column ZZZZZZ (hundreds of millions of columns)", path => WriteSheet(path, HeaderRow + """<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>""")),
        new("xlsx-dimension-huge", "export.xlsx", "a dimension claiming A1:XFD1048576 and a spans attribute of a million columns", path => WriteSheet(path, HeaderRow.Replace("<row r=\"1\"", "<row r=\"1\" spans=\"1:1000000\"", StringComparison.Ordinal), dimension: "A1:XFD1048576")),
        new("xlsx-sheet-not-xml", "export.xlsx", "a worksheet part holding binary noise", path => WriteParts(path, sheet: RandomNoise(50_000))),
        new("xlsx-sheet-empty-part", "export.xlsx", "a worksheet part of zero bytes", path => WriteParts(path, sheet: [])),
        new("xlsx-nested-8m-sheet", "export.xlsx", "a 56 KB workbook whose sheet nests elements 8 million deep", path => WriteDeeplyNested(path, 8_000_000)),
        new("xlsx-far-cell-and-row", "export.xlsx", "a header, one cell in column XFD and one row at 1,048,576: a 17-billion-cell grid in under 2 KB",
            path => WriteSheet(path, HeaderRow + """<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>""")),
        new("xlsx-far-row-wide-header", "export.xlsx", "a header reaching column XFD and one row 100,000 rows below it",
            path => WriteSheet(path, HeaderRow.Replace("</row>", """<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>""", StringComparison.Ordinal) + """<row r="100000"><c r="A100000" t="inlineStr"><is><t>x</t></is></c></row>""")),
        new("xlsx-5m-shared-strings", "export.xlsx", "five million short shared strings, about 200 MB once read", WriteManySharedStrings),
        new("xlsx-shared-strings-count-2e9", "export.xlsx", "shared strings declaring two billion unique strings", path => WriteParts(path,
            sheet: Encoding.UTF8.GetBytes(SheetStart + HeaderRow + SheetEnd),
            sharedStrings: """<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000000" uniqueCount="2000000000"><si><t>x</t></si></sst>"""u8.ToArray())),
        new("csv-mixed-encodings", "export.csv", "UTF-8 rows and Windows-1251 rows in one file", WriteCsvWithMixedEncodings),
        new("csv-20k-unknown-columns", "export.csv", "a header of the five fields and 20,000 unknown columns", WriteCsvWithUnknownColumns),
        new("ole-encrypted", "export.xlsx", "a password-protected workbook (an OLE compound file with an EncryptedPackage stream)", path => WriteOle(path, encrypted: true)),
        new("ole-legacy-xls", "export.xls", "an Excel 97-2003 workbook header", path => WriteOle(path, encrypted: false)),
    ];

    private static void WriteCsvWithHugeCell(string path, bool quoted, bool beforeHeader)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        if (beforeHeader)
            file.Write("Выгрузка \"за период\r\n"u8);
        file.Write("БИН;Наименование;Вид деятельности;Количество сканирований;Статус\r\n"u8);
        file.Write("004951446571;"u8);
        if (quoted)
            file.WriteByte((byte)'"');
        var chunk = new byte[1 << 20];
        for (var i = 0; i < chunk.Length; i++)
            chunk[i] = quoted && i % 80 == 79 ? (byte)'\n' : (byte)('a' + (i % 26));
        for (var written = 0; written < HugeCellBytes; written += chunk.Length)
            file.Write(chunk);
        if (quoted && !beforeHeader)
            file.WriteByte((byte)'"');
        file.Write(";Кафе;10;участник\r\n"u8);
    }

    private static void WriteCsvWithManyColumns(string path, bool inHeader)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write("БИН;Наименование;Вид деятельности;Количество сканирований;Статус");
        if (inHeader)
        {
            for (var i = 0; i < 400_000; i++)
                writer.Write(";c" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        writer.Write("\r\n004951446571;ТОО Тест;Кафе;10;участник");
        if (!inHeader)
        {
            for (var i = 0; i < 400_000; i++)
                writer.Write(";1");
        }
        writer.Write("\r\n");
    }

    private static void WriteCsvWithMixedEncodings(string path)
    {
        var windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        using var file = File.Create(path);
        file.Write(windows1251.GetBytes("БИН;Наименование;Вид деятельности;Количество сканирований;Статус\r\n"));
        // The UTF-8 lines' status is in English, so that read as Windows-1251 they would load, with garbled names.
        for (var i = 0; i < 40; i++)
        {
            var utf8 = i % 4 == 3;
            var line = $"{ExportFuzzSeeds.BinFor(i)};ТОО Кафе {i};Кафе;10;{(utf8 ? "participant" : "участник")}\r\n";
            file.Write(utf8 ? Encoding.UTF8.GetBytes(line) : windows1251.GetBytes(line));
        }
    }

    private static void WriteCsvWithUnknownColumns(string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write("БИН;Наименование;Вид деятельности;Количество сканирований;Статус");
        for (var i = 0; i < 20_000; i++)
            writer.Write(";Лишняя колонка " + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.Write("\r\n004951446571;ТОО Тест;Кафе;10;участник\r\n");
    }

    private static void WriteDeeplyNested(string path, int depth)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        WriteStaticParts(zip, withSharedStrings: false);
        using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
        sheet.Write(Encoding.UTF8.GetBytes(SheetStart + HeaderRow + """<row r="2">"""));
        var open = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<x>", 4096)));
        var close = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("</x>", 4096)));
        for (var i = 0; i < depth / 4096; i++)
            sheet.Write(open);
        for (var i = 0; i < depth / 4096; i++)
            sheet.Write(close);
        sheet.Write(Encoding.UTF8.GetBytes("</row>" + SheetEnd));
    }

    private static void WriteManySharedStrings(string path)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        WriteStaticParts(zip, withSharedStrings: true);
        using (var sheet = Entry(zip, "xl/worksheets/sheet1.xml"))
            sheet.Write(Encoding.UTF8.GetBytes(SheetStart + HeaderRow + """<row r="2"><c r="A2" t="s"><v>0</v></c></row>""" + SheetEnd));
        using var strings = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open();
        strings.Write("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""u8);
        var block = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
            block.Append("<si><t>").Append((char)('a' + (i % 26))).Append((char)('a' + (i / 26 % 26))).Append("</t></si>");
        var bytes = Encoding.UTF8.GetBytes(block.ToString());
        for (var i = 0; i < 500; i++)
            strings.Write(bytes);
        strings.Write("</sst>"u8);
    }

    private static void WriteCsvWithNul(string path)
    {
        using var file = File.Create(path);
        file.Write("БИН;Наименование;Вид деятельности;Количество сканирований;Статус\r\n004951446571;ТОО \u0000Тест"u8);
        file.Write([0xC3, 0x28, 0xED, 0xA0, 0x80]);
        file.Write(";Кафе;10;участник\r\n"u8);
    }

    // Random letters keep the archive honest (it compresses like text, not like a bomb) so that the reader itself meets the cell.
    private static void WriteWorkbookWithHugeCell(string path, bool shared)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        WriteStaticParts(zip, withSharedStrings: shared);
        var random = new Random(100);
        var chunk = new byte[1 << 20];
        void WriteHugeText(Stream stream)
        {
            for (var written = 0; written < HugeCellBytes; written += chunk.Length)
            {
                for (var i = 0; i < chunk.Length; i++)
                    chunk[i] = (byte)('a' + random.Next(26));
                stream.Write(chunk);
            }
        }
        using (var sheet = Entry(zip, "xl/worksheets/sheet1.xml"))
        {
            sheet.Write(Encoding.UTF8.GetBytes(SheetStart + HeaderRow));
            sheet.Write(shared
                ? """<row r="2"><c r="A2" t="inlineStr"><is><t>004951446571</t></is></c><c r="B2" t="s"><v>0</v></c></row>"""u8
                : """<row r="2"><c r="A2" t="inlineStr"><is><t>004951446571</t></is></c><c r="B2" t="inlineStr"><is><t>"""u8);
            if (!shared)
            {
                WriteHugeText(sheet);
                sheet.Write("</t></is></c></row>"u8);
            }
            sheet.Write(Encoding.UTF8.GetBytes(SheetEnd));
        }
        if (shared)
        {
            using var strings = Entry(zip, "xl/sharedStrings.xml");
            strings.Write("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"""u8);
            WriteHugeText(strings);
            strings.Write("</t></si></sst>"u8);
        }
    }

    /// <summary>
    /// A deflate stream can be built from independently compressed, byte-aligned blocks; one compressed block of
    /// rows repeated a thousand times inflates to gigabytes without compressing gigabytes here.
    /// </summary>
    private static void WriteZipBomb(string path, string part, bool lie)
    {
        var isSheet = part.Contains("worksheets", StringComparison.Ordinal);
        var unit = isSheet ? """<row><c t="inlineStr"><is><t>0</t></is></c></row>""" : "<si><t>x</t></si>";
        var prefix = isSheet ? SheetStart + HeaderRow : """<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""";
        var suffix = isSheet ? SheetEnd : "</sst>";
        var block = new StringBuilder();
        while (block.Length < 4 << 20)
            block.Append(unit);
        var blockBytes = Encoding.UTF8.GetBytes(block.ToString());
        var compressedBlock = DeflateUnfinished(blockBytes);
        var repeats = (int)(BombBytes / blockBytes.Length);
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var compressedPrefix = DeflateUnfinished(prefixBytes);
        var compressedSuffix = DeflateFinished(Encoding.UTF8.GetBytes(suffix));
        var realSize = prefixBytes.Length + ((long)repeats * blockBytes.Length) + suffix.Length;
        var compressedSize = compressedPrefix.Length + ((long)repeats * compressedBlock.Length) + compressedSuffix.Length;

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var directory = new List<(string Name, uint Offset, uint Crc, uint Compressed, uint Size, ushort Method)>();
        foreach (var (name, content) in StaticParts(withSharedStrings: !isSheet))
        {
            var compressed = DeflateFinished(content);
            var offset = (uint)file.Position;
            WriteLocalHeader(file, name, 8, 0, (uint)compressed.Length, (uint)content.Length);
            file.Write(compressed);
            directory.Add((name, offset, 0, (uint)compressed.Length, (uint)content.Length, 8));
        }
        var bombOffset = (uint)file.Position;
        var declared = lie ? 40_000u : (uint)Math.Min(realSize, uint.MaxValue);
        WriteLocalHeader(file, part, 8, 0, (uint)compressedSize, declared);
        file.Write(compressedPrefix);
        for (var i = 0; i < repeats; i++)
            file.Write(compressedBlock);
        file.Write(compressedSuffix);
        directory.Add((part, bombOffset, 0, (uint)compressedSize, declared, 8));
        // Every workbook needs a sheet; with the bomb in the shared strings the sheet stays small.
        if (!isSheet)
        {
            var sheet = Encoding.UTF8.GetBytes(SheetStart + HeaderRow + """<row r="2"><c r="A2" t="s"><v>0</v></c></row>""" + SheetEnd);
            var compressedSheet = DeflateFinished(sheet);
            var offset = (uint)file.Position;
            WriteLocalHeader(file, "xl/worksheets/sheet1.xml", 8, 0, (uint)compressedSheet.Length, (uint)sheet.Length);
            file.Write(compressedSheet);
            directory.Add(("xl/worksheets/sheet1.xml", offset, 0, (uint)compressedSheet.Length, (uint)sheet.Length, 8));
        }
        WriteCentralDirectory(file, directory);
    }

    private static void WriteAbsurdDeclaredSize(string path)
    {
        var sheet = Encoding.UTF8.GetBytes(SheetStart + HeaderRow + SheetEnd);
        using var file = File.Create(path);
        var directory = new List<(string Name, uint Offset, uint Crc, uint Compressed, uint Size, ushort Method)>();
        foreach (var (name, content) in StaticParts(withSharedStrings: false).Append(("xl/worksheets/sheet1.xml", sheet)))
        {
            var compressed = DeflateFinished(content);
            var offset = (uint)file.Position;
            var declared = name.Contains("sheet1", StringComparison.Ordinal) ? 0xFFFF_FFFEu : (uint)content.Length;
            WriteLocalHeader(file, name, 8, 0, (uint)compressed.Length, declared);
            file.Write(compressed);
            directory.Add((name, offset, 0, (uint)compressed.Length, declared, 8));
        }
        WriteCentralDirectory(file, directory);
    }

    private static void WriteNested(string path, string part)
    {
        var nested = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
            nested.Append("<row>");
        for (var i = 0; i < 100_000; i++)
            nested.Append("</row>");
        switch (part)
        {
            case "xl/sharedStrings.xml":
                WriteParts(path, sheet: Encoding.UTF8.GetBytes(SheetStart + HeaderRow + SheetEnd),
                    sharedStrings: Encoding.UTF8.GetBytes($"""<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>{nested.Replace("row", "t")}</si></sst>"""));
                break;
            case "xl/workbook.xml":
                WriteParts(path, sheet: Encoding.UTF8.GetBytes(SheetStart + HeaderRow + SheetEnd),
                    workbook: Encoding.UTF8.GetBytes($"""<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{nested.Replace("row", "sheets")}<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"""));
                break;
            default:
                WriteSheet(path, HeaderRow + nested);
                break;
        }
    }

    private static void WriteWithDoctype(string path, string part, bool external)
    {
        string doctype;
        string reference;
        if (external)
        {
            doctype = """<!DOCTYPE worksheet [<!ENTITY ext SYSTEM "file:///etc/passwd">]>""";
            reference = "&ext;";
        }
        else
        {
            var entities = new StringBuilder("""<!ENTITY l0 "lollollollollollollollollollol">""");
            for (var i = 1; i <= 12; i++)
                entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">");
            doctype = $"<!DOCTYPE root [{entities}]>";
            reference = "&l12;";
        }
        var row = $"""<row r="2"><c r="A2" t="inlineStr"><is><t>004951446571</t></is></c><c r="B2" t="inlineStr"><is><t>{reference}</t></is></c></row>""";
        if (part == "xl/sharedStrings.xml")
        {
            WriteParts(path, sheet: Encoding.UTF8.GetBytes(SheetStart + HeaderRow + """<row r="2"><c r="B2" t="s"><v>0</v></c></row>""" + SheetEnd),
                sharedStrings: Encoding.UTF8.GetBytes($"""<?xml version="1.0"?>{doctype}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{reference}</t></si></sst>"""));
        }
        else
        {
            WriteParts(path, sheet: Encoding.UTF8.GetBytes(SheetStart.Replace("?>", "?>" + doctype, StringComparison.Ordinal) + HeaderRow + row + SheetEnd));
        }
    }

    private static void WriteSharedStringOutOfRange(string path)
    {
        var sheet = SheetStart + HeaderRow
            + """<row r="2"><c r="A2" t="s"><v>999999</v></c><c r="B2" t="s"><v>-1</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>abc</v></c><c r="E2" t="s"><v>4294967296</v></c></row>"""
            + SheetEnd;
        WriteParts(path, sheet: Encoding.UTF8.GetBytes(sheet),
            sharedStrings: """<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Кафе</t></si></sst>"""u8.ToArray());
    }

    private static void WriteSheet(string path, string rows, string? dimension = null)
    {
        var start = dimension is null ? SheetStart : SheetStart.Replace("<sheetData>", $"<dimension ref=\"{dimension}\"/><sheetData>", StringComparison.Ordinal);
        WriteParts(path, sheet: Encoding.UTF8.GetBytes(start + rows + SheetEnd));
    }

    private static void WriteParts(string path, byte[] sheet, byte[]? sharedStrings = null, byte[]? workbook = null)
    {
        var parts = StaticParts(withSharedStrings: sharedStrings is not null)
            .Select(part => part.Name == "xl/workbook.xml" && workbook is not null ? (part.Name, workbook) : part)
            .Append(("xl/worksheets/sheet1.xml", sheet));
        if (sharedStrings is not null)
            parts = parts.Append(("xl/sharedStrings.xml", sharedStrings));
        File.WriteAllBytes(path, ExportFuzzSeeds.Zip(CompressionLevel.Fastest, [.. parts]));
    }

    private static void WriteOle(string path, bool encrypted)
    {
        var bytes = new byte[8 * 512];
        ((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x1A), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x1C), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x1E), 9);
        Encoding.Unicode.GetBytes(encrypted ? "EncryptedPackage" : "Workbook").CopyTo(bytes, 1024);
        if (encrypted)
            Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(bytes, 1024 + 128);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] RandomNoise(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<(string Name, byte[] Content)> StaticParts(bool withSharedStrings)
    {
        const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        yield return ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"""u8.ToArray());
        yield return ("_rels/.rels", Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RelNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""));
        yield return ("xl/workbook.xml", Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{RelNs}"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"""));
        var shared = withSharedStrings ? $"""<Relationship Id="rId2" Type="{RelNs}/sharedStrings" Target="sharedStrings.xml"/>""" : "";
        yield return ("xl/_rels/workbook.xml.rels", Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RelNs}/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>"""));
    }

    private static void WriteStaticParts(ZipArchive zip, bool withSharedStrings)
    {
        foreach (var (name, content) in StaticParts(withSharedStrings))
        {
            using var stream = Entry(zip, name);
            stream.Write(content);
        }
    }

    private static Stream Entry(ZipArchive zip, string name) => zip.CreateEntry(name, CompressionLevel.Fastest).Open();

    private static byte[] DeflateUnfinished(byte[] content)
    {
        using var buffer = new MemoryStream();
        var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true);
        deflate.Write(content);
        deflate.Flush();
        var bytes = buffer.ToArray();
        deflate.Dispose();
        return bytes;
    }

    private static byte[] DeflateFinished(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(content);
        return buffer.ToArray();
    }

    private static void WriteLocalHeader(Stream file, string name, ushort method, uint crc, uint compressed, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034B50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 0x0800);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), method);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), 0x21);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), size);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)nameBytes.Length);
        file.Write(header);
        file.Write(nameBytes);
    }

    private static void WriteCentralDirectory(Stream file, List<(string Name, uint Offset, uint Crc, uint Compressed, uint Size, ushort Method)> entries)
    {
        var start = (uint)file.Position;
        foreach (var entry in entries)
        {
            var nameBytes = Encoding.UTF8.GetBytes(entry.Name);
            var header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014B50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 0x0800);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), entry.Method);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), entry.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), entry.Compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), entry.Size);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), entry.Offset);
            file.Write(header);
            file.Write(nameBytes);
        }
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)file.Position - start);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), start);
        file.Write(end);
    }
}
