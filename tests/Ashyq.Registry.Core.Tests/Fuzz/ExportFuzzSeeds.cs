using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Spreadsheets;

namespace Ashyq.Registry.Fuzz;

/// <summary>A valid export the mutations start from: its bytes, the name it is uploaded under, and for CSV its delimiter.</summary>
public sealed record FuzzSeed(string Name, string FileName, byte[] Bytes, bool IsWorkbook, char Delimiter = ';');

/// <summary>
/// Valid weekly exports in every dialect the contract allows, built in memory from fixed data so that a
/// case number means the same file on every machine.
/// </summary>
public static class ExportFuzzSeeds
{
    public const string RussianTitle = "Выгрузка участников проекта Ashyq, г. Алматы, за период 19.07.2021 – 25.07.2021";

    private static readonly string[] RussianHeader =
        ["БИН", "Наименование", "Вид деятельности", "Район", "Адрес", "Дата присоединения", "Количество сканирований", "Выявлено нарушителей", "Статус", "Причина"];

    private static readonly string[] EnglishHeader =
        ["BIN", "Name", "Category", "District", "Address", "Joined on", "Scans", "Flagged visitors", "Status", "Reason"];

    private static readonly string[] KazakhHeader =
        ["БСН", "Атауы", "Қызмет түрі", "Аудан", "Мекенжай", "Қосылған күні", "Сканерлеу саны", "Анықталған бұзушылар", "Мәртебе", "Себебі"];

    private static readonly string[] CategoryTexts =
        ["Кафе \"Достар\"", "Ресторан", "ТРЦ", "Салон красоты", "Фитнес-клуб", "Гостиница", "Кинотеатр", "Автосервис", "Детский центр"];

    private static readonly string[] Districts = ["Медеуский", "Алмалы", "Bostandyk district", "Түрксіб", "Ауэзовский район", "", "Неизвестный"];

    private static readonly string[] RussianStatuses = ["участник", "лидер", "аутсайдер", "исключён", "Участник"];
    private static readonly string[] KazakhStatuses = ["қатысушы", "көшбасшы", "аутсайдер", "шығарылды"];
    private static readonly string[] EnglishStatuses = ["participant", "leader", "outsider", "excluded"];

    /// <summary>The category aliases the fuzz runs match against: enough to send most seed rows to a real category.</summary>
    public static CategoryMatcher Categories { get; } = new(
    [
        ("кафе", "catering"), ("ресторан", "catering"), ("бар", "catering"), ("трц", "markets"), ("рынок", "markets"),
        ("салон красоты", "beauty"), ("детский центр", "children"), ("фитнес-клуб", "fitness"), ("фитнес", "fitness"),
        ("гостиница", "hotels"), ("отель", "hotels"), ("кинотеатр", "leisure"), ("театр", "leisure"),
    ]);

    public static IReadOnlyList<FuzzSeed> All { get; } = Build();

    private static FuzzSeed[] Build()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        return
        [
            Csv("utf8-semicolon-title", "export.csv", new UTF8Encoding(false), ';', "\r\n", RussianHeader, RussianStatuses, [RussianTitle], rows: 30),
            Csv("utf8bom-comma-multiline", "weekly.csv", new UTF8Encoding(true), ',', "\n", EnglishHeader, EnglishStatuses, [], rows: 30, multiline: true),
            Csv("cp1251-semicolon-titles-total", "выгрузка.csv", cp1251, ';', "\r\n", ["№", .. RussianHeader], RussianStatuses,
                [RussianTitle, "Министерство цифрового развития"], rows: 25, numbered: true, total: true),
            Csv("utf8-tab-kazakh", "export.txt", new UTF8Encoding(false), '\t', "\n", KazakhHeader, KazakhStatuses, [], rows: 30, blankLines: true),
            Csv("utf8-semicolon-row-errors", "errors.csv", new UTF8Encoding(false), ';', "\r\n", RussianHeader, RussianStatuses, [], rows: 20, withErrors: true),
            Csv("cp1251-comma-multiline", "export.csv", cp1251, ',', "\r\n", RussianHeader, RussianStatuses, [RussianTitle], rows: 20, multiline: true),
            WrittenWorkbook("xlsx-writer-russian", RussianHeader, RussianStatuses, title: false, numericBins: true),
            WrittenWorkbook("xlsx-writer-english-title", EnglishHeader, EnglishStatuses, title: true, numericBins: false),
            new FuzzSeed("xlsx-shared-strings-styles", "export.xlsx", SharedStringsWorkbook(), IsWorkbook: true),
            new FuzzSeed("xlsx-prefixed-two-sheets", "export.xlsx", PrefixedWorkbook(), IsWorkbook: true),
        ];
    }

    /// <summary>A valid BIN for business number <paramref name="n"/>: the first eleven digits derived from n, then the check digit.</summary>
    public static string BinFor(long n)
    {
        for (var serial = 10_000_000_000L + (n * 7919); ; serial++)
        {
            if (Bin.Complete(serial.ToString("D11", CultureInfo.InvariantCulture)) is { } bin)
                return bin;
        }
    }

    private static string[] DataRow(int i, string[] statuses, bool withErrors, bool multiline)
    {
        var status = statuses[i % statuses.Length];
        var bin = BinFor(i);
        if (withErrors)
        {
            bin = (i % 5) switch
            {
                1 => bin[..11] + (char)('0' + ((bin[11] - '0' + 1) % 10)),
                2 => "12345",
                _ => bin,
            };
        }
        var scans = withErrors && i % 7 == 3 ? "-4" : (i * 37 % 1000).ToString(CultureInfo.InvariantCulture);
        var name = i % 4 == 0 ? $"ТОО \"Объект {i}\", филиал" : $"ИП Объект {i}";
        var address = multiline && i % 3 == 0 ? $"ул. Абая, {i}\nофис {i % 10}" : $"ул. Абая, {i}";
        return
        [
            bin, withErrors && i % 6 == 4 ? "" : name, CategoryTexts[i % CategoryTexts.Length], Districts[i % Districts.Length], address,
            i % 2 == 0 ? $"{1 + (i % 28):00}.0{1 + (i % 9)}.2021" : $"2021-0{1 + (i % 9)}-{1 + (i % 28):00}",
            scans, (i % 3).ToString(CultureInfo.InvariantCulture), withErrors && i % 8 == 5 ? "непонятно" : status,
            status.StartsWith("исключ", StringComparison.OrdinalIgnoreCase) || status is "excluded" or "шығарылды" ? "Нарушение режима" : "",
        ];
    }

    private static FuzzSeed Csv(string name, string fileName, Encoding encoding, char delimiter, string newline, string[] header,
        string[] statuses, string[] titles, int rows, bool multiline = false, bool numbered = false, bool total = false,
        bool blankLines = false, bool withErrors = false)
    {
        var text = new StringBuilder();
        foreach (var title in titles)
            text.Append(title).Append(newline);
        text.Append(string.Join(delimiter, header.Select(cell => Quote(cell, delimiter)))).Append(newline);
        for (var i = 0; i < rows; i++)
        {
            string[] cells = DataRow(i, statuses, withErrors, multiline);
            if (numbered)
                cells = [(i + 1).ToString(CultureInfo.InvariantCulture), .. cells];
            text.Append(string.Join(delimiter, cells.Select(cell => Quote(cell, delimiter)))).Append(newline);
            if (blankLines && i % 10 == 9)
                text.Append(newline);
        }
        if (total)
            text.Append(string.Join(delimiter, ["", "Итого", "", "", "", "", "", "12345", "7", "", ""])).Append(newline);
        var preamble = encoding.GetPreamble();
        return new FuzzSeed(name, fileName, [.. preamble, .. encoding.GetBytes(text.ToString())], IsWorkbook: false, delimiter);
    }

    private static string Quote(string cell, char delimiter) =>
        cell.IndexOfAny([delimiter, '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static FuzzSeed WrittenWorkbook(string name, string[] header, string[] statuses, bool title, bool numericBins)
    {
        using var buffer = new MemoryStream();
        using (var writer = new XlsxWriter(buffer, "Лист1"))
        {
            if (title)
            {
                writer.WriteRow(RussianTitle);
                writer.WriteRow();
            }
            writer.WriteRow([.. header]);
            for (var i = 0; i < 30; i++)
            {
                var cells = DataRow(i, statuses, withErrors: false, multiline: i % 5 == 0);
                writer.WriteRow(
                    numericBins ? long.Parse(cells[0], CultureInfo.InvariantCulture) : cells[0], cells[1], cells[2], cells[3], cells[4],
                    i % 3 == 0 ? cells[5] : new DateOnly(2021, 1 + (i % 12), 1 + (i % 28)),
                    i % 4 == 0 ? cells[6] : int.Parse(cells[6], CultureInfo.InvariantCulture), i % 3, cells[8], cells[9].Length == 0 ? null : cells[9]);
            }
            if (title)
                writer.WriteRow(null, "Итого", null, null, null, null, 999);
        }
        return new FuzzSeed(name, "export.xlsx", buffer.ToArray(), IsWorkbook: true);
    }

    private const string ContentTypes = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>""";

    private const string RootRels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""";

    private const string SpreadsheetNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelationshipNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>Shared strings, a custom date format, and cells of every type: s, n, b, e, str with a formula, rich inline text.</summary>
    private static byte[] SharedStringsWorkbook()
    {
        var strings = new List<string>();
        int Share(string text)
        {
            strings.Add(text);
            return strings.Count - 1;
        }
        var sheet = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{SpreadsheetNs}"><dimension ref="A1:J33"/><sheetData>""");
        sheet.Append("<row r=\"1\">");
        for (var c = 0; c < RussianHeader.Length; c++)
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{Column(c)}1\" t=\"s\"><v>{Share(RussianHeader[c])}</v></c>");
        sheet.Append("</row>");
        for (var i = 0; i < 30; i++)
        {
            var cells = DataRow(i, RussianStatuses, withErrors: false, multiline: false);
            var r = i + 3;
            sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\" spans=\"1:10\">");
            sheet.Append(i % 2 == 0 ? $"<c r=\"A{r}\"><v>{long.Parse(cells[0], CultureInfo.InvariantCulture)}</v></c>" : $"<c r=\"A{r}\" t=\"s\"><v>{Share(cells[0])}</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"B{r}\" t=\"inlineStr\"><is><r><rPr><b/></rPr><t>{Escape(cells[1][..3])}</t></r><r><t xml:space=\"preserve\">{Escape(cells[1][3..])}</t></r></is></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"C{r}\" t=\"s\"><v>{Share(cells[2])}</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c t=\"str\"><f>\"{Escape(cells[3])}\"</f><v>{Escape(cells[3])}</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"E{r}\" t=\"s\"><v>{Share(cells[4])}</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"F{r}\" s=\"1\"><v>{44200 + i}</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"G{r}\"><v>{cells[6]}</v></c>");
            sheet.Append(i % 5 == 0 ? $"<c r=\"H{r}\" t=\"e\"><v>#N/A</v></c>" : $"<c r=\"H{r}\" s=\"2\"><v>{i % 3}.0</v></c>");
            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"I{r}\" t=\"s\"><v>{Share(cells[8])}</v></c>");
            if (cells[9].Length > 0)
                sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"J{r}\" t=\"s\"><v>{Share(cells[9])}</v></c>");
            else if (i % 7 == 0)
                sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"J{r}\" t=\"b\"><v>0</v></c>");
            sheet.Append("</row>");
        }
        sheet.Append("</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A2:J2\"/></mergeCells></worksheet>");

        var shared = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{SpreadsheetNs}" count="{strings.Count}" uniqueCount="{strings.Count}">""");
        foreach (var text in strings)
            shared.Append("<si><t xml:space=\"preserve\">").Append(Escape(text)).Append("</t></si>");
        shared.Append("</sst>");

        var styles = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{SpreadsheetNs}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>""";
        var workbook = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{SpreadsheetNs}" xmlns:r="{RelationshipNs}"><workbookPr date1904="0"/><sheets><sheet name="Участники" sheetId="1" r:id="rId1"/></sheets></workbook>""";
        var workbookRels = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PackageRelNs}"><Relationship Id="rId1" Type="{RelationshipNs}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RelationshipNs}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{RelationshipNs}/styles" Target="styles.xml"/></Relationships>""";
        return Zip(
            ("[Content_Types].xml", ContentTypes), ("_rels/.rels", RootRels), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles), ("xl/sharedStrings.xml", shared.ToString()),
            ("xl/worksheets/sheet1.xml", sheet.ToString()));
    }

    /// <summary>Namespace prefixes, an absolute relationship target, a sheet under an unusual name and a second sheet.</summary>
    private static byte[] PrefixedWorkbook()
    {
        var sheet = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{SpreadsheetNs}"><x:sheetData>""");
        sheet.Append("<x:row><x:c t=\"inlineStr\"><x:is><x:t>").Append(RussianTitle).Append("</x:t></x:is></x:c></x:row>");
        sheet.Append("<x:row>");
        foreach (var title in KazakhHeader)
            sheet.Append("<x:c t=\"inlineStr\"><x:is><x:t>").Append(Escape(title)).Append("</x:t></x:is></x:c>");
        sheet.Append("</x:row>");
        for (var i = 0; i < 25; i++)
        {
            sheet.Append("<x:row>");
            foreach (var cell in DataRow(i, KazakhStatuses, withErrors: false, multiline: i % 4 == 0))
                sheet.Append("<x:c t=\"inlineStr\"><x:is><x:t>").Append(Escape(cell)).Append("</x:t></x:is></x:c>");
            sheet.Append("</x:row>");
        }
        sheet.Append("</x:sheetData></x:worksheet>");
        var second = $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SpreadsheetNs}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>""";
        var workbook = $"""<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{SpreadsheetNs}" xmlns:r="{RelationshipNs}"><x:sheets><x:sheet name="Тізім" sheetId="7" r:id="rIdA"/><x:sheet name="Прочее" sheetId="8" r:id="rIdB"/></x:sheets></x:workbook>""";
        var workbookRels = $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PackageRelNs}"><Relationship Id="rIdA" Type="{RelationshipNs}/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rIdB" Type="{RelationshipNs}/worksheet" Target="worksheets/other.xml"/></Relationships>""";
        return Zip(
            ("[Content_Types].xml", ContentTypes), ("_rels/.rels", RootRels), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/worksheets/data.xml", sheet.ToString()), ("xl/worksheets/other.xml", second));
    }

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + ((n - 1) % 26)) + name;
        return name;
    }

    public static string Escape(string text) => System.Security.SecurityElement.Escape(text);

    public static byte[] Zip(params (string Name, string Content)[] parts) =>
        Zip(CompressionLevel.Optimal, parts.Select(part => (part.Name, Encoding.UTF8.GetBytes(part.Content))).ToArray());

    /// <summary>A ZIP archive of the given parts in order, with a fixed timestamp so that the same parts give the same bytes.</summary>
    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Content)[] parts)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in parts)
            {
                var entry = zip.CreateEntry(name, level);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The parts of a ZIP archive in order, or null when the archive cannot be read.</summary>
    public static List<(string Name, byte[] Content)>? Unzip(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var parts = new List<(string, byte[])>();
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                parts.Add((entry.FullName, content.ToArray()));
            }
            return parts;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
