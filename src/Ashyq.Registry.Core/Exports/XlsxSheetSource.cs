using System.Globalization;
using ExcelDataReader;

namespace Ashyq.Registry.Core.Exports;

/// <summary>Reads the first worksheet of an .xlsx workbook row by row.</summary>
internal sealed class XlsxSheetSource : ISheetSource
{
    // Excel's own limits. The workbook reader fills every gap up to a row's number with empty rows and
    // gives every row as many cells as the widest, so a single cell beyond these would cost minutes or gigabytes.
    public const int MaxRows = 1_048_576;
    public const int MaxColumns = 16_384;

    private readonly FileStream _stream;
    private readonly IExcelDataReader _reader;
    private readonly string _fileName;
    private bool _read;

    private XlsxSheetSource(FileStream stream, IExcelDataReader reader, string fileName)
    {
        _stream = stream;
        _reader = reader;
        _fileName = fileName;
    }

    public string Format => $"XLSX, sheet '{_reader.Name}'";

    public static XlsxSheetSource Open(string path, string fileName)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
            try
            {
                CheckSize(reader.FieldCount, reader.RowCount, fileName);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
            return new XlsxSheetSource(stream, reader, fileName);
        }
        catch (ExportFileException)
        {
            stream.Dispose();
            throw;
        }
        catch (Exception e)
        {
            stream.Dispose();
            throw Corrupt(fileName, e);
        }
    }

    public IEnumerable<SheetRow> Rows()
    {
        if (_read)
            throw new InvalidOperationException("The rows of a worksheet can be read once.");
        _read = true;
        return ReadRows();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    private IEnumerable<SheetRow> ReadRows()
    {
        while (true)
        {
            SheetRow row;
            try
            {
                if (!_reader.Read())
                    yield break;
                var lineNo = _reader.Depth + 1;
                CheckSize(_reader.FieldCount, lineNo, _fileName);
                var cells = new SheetCell[_reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                    cells[i] = ToCell(_reader.GetValue(i), lineNo);
                row = new SheetRow(lineNo, cells);
            }
            catch (ExportFileException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw Corrupt(_fileName, e);
            }
            yield return row;
        }
    }

    internal static void CheckSize(int columns, int rows, string fileName)
    {
        if (columns > MaxColumns)
        {
            throw new ExportFileException("too_large",
                $"The first worksheet of '{fileName}' has a cell beyond column XFD ({columns:N0} columns), the last column Excel allows; the file is damaged or crafted.",
                ExportMessageCodes.Values("columns", ("columns", columns)));
        }
        if (rows > MaxRows)
        {
            throw new ExportFileException("too_large",
                $"The first worksheet of '{fileName}' numbers its rows beyond {MaxRows:N0}, the last row Excel allows; the file is damaged or crafted.",
                ExportMessageCodes.Values("rows", ("max", MaxRows)));
        }
    }

    private static SheetCell ToCell(object? value, int lineNo) => value switch
    {
        null => SheetCell.Empty,
        string text when text.Length > CsvSheetSource.MaxRecordBytes => throw new ExportFileException("line_too_long",
            $"A cell in row {lineNo} holds more than {CsvSheetSource.MaxRecordBytes / 1024 / 1024} MiB of text; no cell of a weekly export does.",
            ExportMessageCodes.Values("cell", ("line", lineNo), ("mib", CsvSheetSource.MaxRecordBytes / 1024 / 1024))),
        string text => new SheetCell(text),
        double number => new SheetCell(number.ToString("R", CultureInfo.InvariantCulture), number),
        DateTime date => new SheetCell(
            date.ToString(date.TimeOfDay == TimeSpan.Zero ? "dd.MM.yyyy" : "dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture), date),
        bool flag => new SheetCell(flag ? "TRUE" : "FALSE", flag),
        IFormattable formattable => new SheetCell(formattable.ToString(null, CultureInfo.InvariantCulture), value),
        _ => new SheetCell(value.ToString() ?? ""),
    };

    private static ExportFileException Corrupt(string fileName, Exception e) => new("corrupt_file",
        $"The workbook '{fileName}' is damaged and cannot be read: {MessageText.Excerpt(e.Message, MessageText.MaxCause)} {ExportFormatSniffer.Accepted}",
        ExportMessageCodes.Values("workbook"));
}
