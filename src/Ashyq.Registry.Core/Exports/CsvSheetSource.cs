using System.Buffers;
using System.Text;
using CsvHelper;

namespace Ashyq.Registry.Core.Exports;

/// <summary>What the first pass over a text file found: its encoding, or why it is not a text file at all.</summary>
internal sealed record TextEncodingFacts(Encoding Encoding, string Name);

/// <summary>Reads a CSV export record by record with a fixed delimiter and encoding, in bounded memory.</summary>
internal sealed class CsvSheetSource(string path, TextEncodingFacts encoding, char delimiter) : ISheetSource
{
    /// <summary>The longest record accepted, counted in bytes of its UTF-8 form.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    public static readonly char[] Delimiters = [';', ',', '\t'];

    private const int ChunkBytes = 64 * 1024;

    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r\n"u8);

    private FileStream? _stream;

    public string Format => $"CSV, {encoding.Name}, {DescribeDelimiter(delimiter)}";

    public char Delimiter => delimiter;

    public static string DescribeDelimiter(char delimiter) => delimiter == '\t' ? "TAB" : $"'{delimiter}'";

    /// <summary>
    /// One streaming pass: a file that is valid UTF-8 from end to end is UTF-8, anything else is read as
    /// Windows-1251. NUL bytes or many control characters mean the file is not text at all.
    /// </summary>
    public static TextEncodingFacts Inspect(Stream stream, string fileName)
    {
        stream.Position = 0;
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[ChunkBytes];
        var chars = new char[ChunkBytes + 4];
        var isUtf8 = true;
        var blank = true;
        var hasBom = false;
        long position = 0;
        var controlBytesAtStart = 0;
        int read;
        while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
        {
            var start = 0;
            if (position == 0 && read >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                hasBom = true;
                start = 3;
            }
            var chunk = bytes.AsSpan(start, read - start);
            if (chunk.Contains((byte)0))
                throw NotText(fileName);
            if (blank && chunk.IndexOfAnyExcept(Blanks) >= 0)
                blank = false;
            for (var i = start; i < read && position + i < ChunkBytes; i++)
            {
                var b = bytes[i];
                if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n'))
                    controlBytesAtStart++;
            }
            if (isUtf8)
            {
                try
                {
                    decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    isUtf8 = false;
                }
            }
            position += read;
        }
        if (isUtf8)
        {
            try
            {
                decoder.GetChars([], 0, 0, chars, 0, flush: true);
            }
            catch (DecoderFallbackException)
            {
                isUtf8 = false;
            }
        }
        stream.Position = 0;

        if (blank)
            throw new ExportFileException("empty_file", $"'{fileName}' holds no data: it is empty or only whitespace.", ExportMessageCodes.Values(null));
        if (controlBytesAtStart * 100 > Math.Min(position, ChunkBytes))
            throw NotText(fileName);
        if (!isUtf8)
            CheckOneEncoding(stream, fileName);
        return isUtf8
            ? new TextEncodingFacts(new UTF8Encoding(false), hasBom ? "UTF-8 with BOM" : "UTF-8")
            : new TextEncodingFacts(Encoding.GetEncoding(1251), "Windows-1251");
    }

    /// <summary>How many lines of each kind a mixed-encoding message names before it counts the rest.</summary>
    internal const int MixedLinesListed = 5;

    private static readonly SearchValues<byte> LineEndOrNonAscii = SearchValues.Create([(byte)'\n', .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>
    /// A file that is not UTF-8 throughout is read as Windows-1251; but when some of its lines are valid UTF-8
    /// holding letters beyond ASCII while others are not, it was put together from two files, and the UTF-8
    /// lines would load as garbled names ("РљР°С„Рµ" for "Кафе"). Such a file is refused, naming the lines.
    /// A Windows-1251 line is almost never valid UTF-8 by chance: its Cyrillic letters do not pair up that way.
    /// </summary>
    private static void CheckOneEncoding(Stream stream, string fileName)
    {
        stream.Position = 0;
        var utf8Lines = new List<long>();
        var otherLines = new List<long>();
        long utf8Count = 0, otherCount = 0;
        long line = 1;
        bool lineHasUtf8 = false, lineIsInvalid = false;
        int need = 0;
        byte low = 0x80, high = 0xBF;
        var bytes = new byte[ChunkBytes];
        int read;

        void EndLine()
        {
            if (lineIsInvalid)
            {
                otherCount++;
                if (otherLines.Count < MixedLinesListed)
                    otherLines.Add(line);
            }
            else if (lineHasUtf8)
            {
                utf8Count++;
                if (utf8Lines.Count < MixedLinesListed)
                    utf8Lines.Add(line);
            }
            line++;
            lineHasUtf8 = lineIsInvalid = false;
        }

        while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
        {
            var chunk = bytes.AsSpan(0, read);
            var i = 0;
            while (i < chunk.Length)
            {
                if (need == 0)
                {
                    var next = chunk[i..].IndexOfAny(LineEndOrNonAscii);
                    if (next < 0)
                        break;
                    i += next;
                }
                var b = chunk[i++];
                if (need > 0)
                {
                    if (b >= low && b <= high)
                    {
                        low = 0x80;
                        high = 0xBF;
                        if (--need == 0)
                            lineHasUtf8 = true;
                        continue;
                    }
                    lineIsInvalid = true;
                    need = 0;
                }
                if (b == '\n')
                    EndLine();
                else if (b < 0x80)
                    continue;
                else if (b is >= 0xC2 and <= 0xDF)
                    (need, low, high) = (1, 0x80, 0xBF);
                else if (b == 0xE0)
                    (need, low, high) = (2, 0xA0, 0xBF);
                else if (b == 0xED)
                    (need, low, high) = (2, 0x80, 0x9F);
                else if (b is >= 0xE1 and <= 0xEF)
                    (need, low, high) = (2, 0x80, 0xBF);
                else if (b == 0xF0)
                    (need, low, high) = (3, 0x90, 0xBF);
                else if (b is >= 0xF1 and <= 0xF3)
                    (need, low, high) = (3, 0x80, 0xBF);
                else if (b == 0xF4)
                    (need, low, high) = (3, 0x80, 0x8F);
                else
                    lineIsInvalid = true;
            }
        }
        if (need > 0)
            lineIsInvalid = true;
        EndLine();
        stream.Position = 0;

        if (utf8Count == 0 || otherCount == 0)
            return;
        var utf8 = ListLines(utf8Lines, utf8Count);
        var other = ListLines(otherLines, otherCount);
        throw new ExportFileException("mixed_encoding",
            $"'{fileName}' mixes two encodings: {utf8Count:N0} lines are UTF-8 (lines {utf8}) and {otherCount:N0} are not (lines {other}, read as Windows-1251). "
            + "Loaded as one encoding, the other lines' names would be garbled. Save the whole file in one encoding, UTF-8, and upload it again.",
            new Dictionary<string, string>
            {
                ["utfcount"] = utf8Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["utflines"] = utf8,
                ["othercount"] = otherCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["otherlines"] = other,
            });
    }

    private static string ListLines(List<long> listed, long count)
    {
        var text = string.Join(", ", listed.Select(line => line.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return count > listed.Count ? $"{text}, …" : text;
    }

    public IEnumerable<SheetRow> Rows()
    {
        if (_stream is not null)
            throw new InvalidOperationException("The rows of a CSV source can be read once.");
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        return ReadRecords(_stream);
    }

    public void Dispose() => _stream?.Dispose();

    private IEnumerable<SheetRow> ReadRecords(Stream stream)
    {
        long unterminatedQuoteLine = 0;
        var options = new CsvReaderOptions
        {
            Separator = delimiter,
            HasHeader = false,
            Encoding = encoding.Encoding,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            TrimWhitespace = false,
            DetectSeparatorHint = false,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record =>
            {
                if (record.Reason == CsvMalformedReason.UnterminatedQuote)
                    unterminatedQuoteLine = record.LineNumber;
            },
        };
        using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        while (true)
        {
            SheetRow row;
            try
            {
                if (!reader.Read())
                    yield break;
                var cells = new SheetCell[reader.FieldCount];
                for (var i = 0; i < cells.Length; i++)
                    cells[i] = new SheetCell(reader.GetString(i) ?? "");
                row = new SheetRow(checked((int)reader.LineNumber), cells);
            }
            catch (CsvFormatException e) when (e.Message.Contains("MaxRecordSize", StringComparison.Ordinal))
            {
                throw new ExportFileException("line_too_long",
                    $"Line {e.LineNumber} is longer than {MaxRecordBytes / 1024 / 1024} MiB; no row of a weekly export is. Is a quote left unclosed there?",
                    ExportMessageCodes.Values("line", ("line", e.LineNumber), ("mib", MaxRecordBytes / 1024 / 1024)));
            }
            catch (CsvFormatException e)
            {
                throw new ExportFileException("corrupt_file", $"The CSV file cannot be read near line {e.LineNumber}: {MessageText.Excerpt(e.Message, MessageText.MaxCause)}",
                    ExportMessageCodes.Values("csv", ("line", e.LineNumber)));
            }
            if (unterminatedQuoteLine > 0)
            {
                throw new ExportFileException("corrupt_file",
                    $"A quoted field that opens on line {unterminatedQuoteLine} is never closed: the rest of the file would be one cell.",
                    ExportMessageCodes.Values("quote", ("line", unterminatedQuoteLine)));
            }
            yield return row;
        }
    }

    private static ExportFileException NotText(string fileName) => new("unsupported_format",
        $"'{fileName}' is not a CSV or XLSX file: it holds binary data. {ExportFormatSniffer.Accepted}",
        ExportMessageCodes.Values("binary"));
}
