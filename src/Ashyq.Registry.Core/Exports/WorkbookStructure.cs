using System.IO.Compression;
using System.Xml;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// One bounded pass over a workbook's XML before the workbook reader opens it, measuring what that reader
/// would spend: it keeps a node for every open element however deep they nest, fills every gap of the
/// first worksheet's grid with empty cells (the last row times the last column, whatever lies between), and
/// holds every shared string in memory. This pass keeps only counters, stops at the first bound crossed, and
/// leaves a part it cannot parse to the workbook reader, whose own error then names the damage.
/// </summary>
internal static class WorkbookStructure
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // A string the workbook reader keeps costs its object and its slot in the list besides its characters.
    private const long BytesPerSharedString = 40;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CheckCharacters = false,
    };

    public static void Check(ZipArchive zip, string fileName, ExportLimits limits)
    {
        var firstSheet = FindFirstSheet(zip, limits);
        foreach (var entry in zip.Entries)
        {
            if (!IsXmlPart(entry.FullName))
                continue;
            if (firstSheet is null ? entry.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) : entry.FullName.Equals(firstSheet, StringComparison.OrdinalIgnoreCase))
                CheckSheet(entry, fileName, limits);
            else if (entry.FullName.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase))
                CheckSharedStrings(entry, fileName, limits);
            else
                Walk(entry, fileName, limits, _ => { });
        }
    }

    public static bool IsXmlPart(string name) =>
        name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);

    private static void CheckSheet(ZipArchiveEntry entry, string fileName, ExportLimits limits)
    {
        long cells = 0;
        long row = 0, lastRow = 0;
        long column = 0, lastColumn = 0;
        var farthestCell = "";
        Walk(entry, fileName, limits, reader =>
        {
            if (reader.LocalName == "row")
            {
                row = ParseRowNumber(reader.GetAttribute("r")) ?? row + 1;
                column = 0;
                lastRow = Math.Max(lastRow, row);
            }
            else if (reader.LocalName == "c")
            {
                cells++;
                var reference = reader.GetAttribute("r");
                column = ParseColumn(reference) ?? column + 1;
                if (column > lastColumn)
                {
                    lastColumn = column;
                    farthestCell = reference is { Length: > 0 and <= 16 } ? reference : $"row {row}";
                }
                lastRow = Math.Max(lastRow, row);
            }
            // Past Excel's own last row or column the file is crafted; said as the workbook reader would say it.
            if (lastRow > XlsxSheetSource.MaxRows || lastColumn > XlsxSheetSource.MaxColumns)
                XlsxSheetSource.CheckSize((int)Math.Min(lastColumn, int.MaxValue), (int)Math.Min(lastRow, int.MaxValue), fileName);
        });
        var grid = lastRow * lastColumn;
        var allowed = limits.AllowedGrid(cells);
        if (grid > allowed)
        {
            throw new ExportFileException("sheet_too_sparse",
                $"The first worksheet of '{fileName}' spreads {cells:N0} cells over {lastRow:N0} rows and {lastColumn:N0} columns "
                + $"(its farthest cell to the right is {farthestCell}): reading it would fill in {grid:N0} cells, more than the {allowed:N0} allowed. "
                + "Delete the stray cells far below or to the right of the data and save the file again.",
                new Dictionary<string, string>
                {
                    ["cells"] = Number(cells),
                    ["rows"] = Number(lastRow),
                    ["columns"] = Number(lastColumn),
                    ["cell"] = farthestCell,
                    ["grid"] = Number(grid),
                    ["max"] = Number(allowed),
                });
        }
    }

    private static void CheckSharedStrings(ZipArchiveEntry entry, string fileName, ExportLimits limits)
    {
        long strings = 0;
        long characters = 0;
        Walk(entry, fileName, limits, reader =>
        {
            if (reader.NodeType is XmlNodeType.Element)
            {
                if (reader.LocalName == "si")
                    strings++;
                else if (reader.LocalName == "sst" && ParseCount(reader.GetAttribute("uniqueCount")) is { } declared
                    && declared * 8 > limits.MaxSharedStringsBytes)
                    throw SharedStringsTooLarge(fileName, declared, null, limits);
            }
            else
            {
                characters += reader.Value.Length;
            }
            if ((strings * BytesPerSharedString) + (characters * 2) > limits.MaxSharedStringsBytes)
                throw SharedStringsTooLarge(fileName, strings, characters, limits);
        }, withText: true);
    }

    private static ExportFileException SharedStringsTooLarge(string fileName, long strings, long? characters, ExportLimits limits) =>
        new("shared_strings_too_large",
            $"The shared strings of '{fileName}' ({strings:N0} strings{(characters is { } c ? $", {c:N0} characters so far" : " declared")}) "
            + $"would take more than {limits.MaxSharedStringsBytes / 1024 / 1024:N0} MiB of memory to read; a weekly export needs far less. "
            + "Save it again, or as CSV.",
            new Dictionary<string, string> { ["mib"] = Number(limits.MaxSharedStringsBytes / 1024 / 1024) });

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every element of the part, at most <see cref="ExportLimits.MaxXmlDepth"/> deep; text nodes too when asked.</summary>
    private static void Walk(ZipArchiveEntry entry, string fileName, ExportLimits limits, Action<XmlReader> visit, bool withText = false)
    {
        using var content = entry.Open();
        using var reader = XmlReader.Create(content, Settings);
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.Depth >= limits.MaxXmlDepth)
                    {
                        throw new ExportFileException("xml_too_deep",
                            $"The part '{entry.FullName}' of '{fileName}' nests its elements more than {limits.MaxXmlDepth:N0} deep; "
                            + "no workbook does (a worksheet nests about seven deep). The file is damaged or crafted.",
                            new Dictionary<string, string> { ["part"] = entry.FullName, ["max"] = Number(limits.MaxXmlDepth) });
                    }
                    visit(reader);
                }
                else if (withText && reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
                {
                    visit(reader);
                }
            }
        }
        catch (XmlException)
        {
        }
        catch (InvalidDataException)
        {
        }
    }

    /// <summary>The part of the first sheet the workbook lists, as the workbook's relationships name it; null if that cannot be told.</summary>
    private static string? FindFirstSheet(ZipArchive zip, ExportLimits limits)
    {
        if (zip.GetEntry("xl/workbook.xml") is not { } workbook || zip.GetEntry("xl/_rels/workbook.xml.rels") is not { } relationships)
            return null;
        string? id = null;
        WalkQuietly(workbook, limits, reader =>
        {
            if (id is null && reader.LocalName == "sheet")
                id = reader.GetAttribute("id", RelationshipsNamespace) ?? "";
        });
        if (string.IsNullOrEmpty(id))
            return null;
        string? target = null;
        WalkQuietly(relationships, limits, reader =>
        {
            if (target is null && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == id)
                target = reader.GetAttribute("Target") ?? "";
        });
        if (string.IsNullOrEmpty(target))
            return null;
        return target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
    }

    private static void WalkQuietly(ZipArchiveEntry entry, ExportLimits limits, Action<XmlReader> visit)
    {
        try
        {
            Walk(entry, "", limits, visit);
        }
        catch (ExportFileException)
        {
            // Too deep: the pass over every part says so with the file's name.
        }
    }

    private static long? ParseRowNumber(string? text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row) ? row : null;

    private static long? ParseCount(string? text) => ParseRowNumber(text);

    /// <summary>The 1-based column of a reference such as "B7" or "XFD1"; letters past a few are enough to know it is too far.</summary>
    private static long? ParseColumn(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
            return null;
        long column = 0;
        var letters = 0;
        foreach (var ch in reference)
        {
            var upper = char.ToUpperInvariant(ch);
            if (upper is < 'A' or > 'Z')
                break;
            if (++letters <= 8)
                column = (column * 26) + (upper - 'A' + 1);
        }
        return letters == 0 ? null : column;
    }
}
