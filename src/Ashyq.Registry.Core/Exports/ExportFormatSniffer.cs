using System.IO.Compression;
using System.Text;

namespace Ashyq.Registry.Core.Exports;

internal enum ExportContainer
{
    Text,
    Xlsx,
}

/// <summary>Tells what a file is from its bytes, whatever its name says, and refuses what the contract does not accept.</summary>
internal static class ExportFormatSniffer
{
    internal const string Accepted = "Accepted: CSV or TXT in UTF-8 or Windows-1251, or an Excel .xlsx workbook.";

    // Limits on what a workbook's ZIP directory declares, checked before anything is decompressed, and again
    // on the bytes as they inflate (a directory can lie): a part larger than ExportLimits.MaxPartBytes (2 GiB
    // by default), all parts together twice that, or a large part that expands more than
    // ExportLimits.MaxCompressionRatio-fold (200), is not a real export.
    internal const long RatioCheckedFromBytes = 64L * 1024 * 1024;

    // A cell of the longest text accepted (CsvSheetSource.MaxRecordBytes characters) takes up to three
    // times as many bytes in UTF-8, plus its markup.
    internal const long MaxXmlTokenBytes = 4L * 1024 * 1024;

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] EmptyZipSignature = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] EncryptedPackageName = Encoding.Unicode.GetBytes("EncryptedPackage");

    public static ExportContainer Detect(Stream stream, string fileName, ExportLimits limits)
    {
        Span<byte> start = stackalloc byte[8];
        stream.Position = 0;
        var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        start = start[..read];

        if (read == 0)
            throw new ExportFileException("empty_file", $"'{fileName}' is empty (0 bytes).", ExportMessageCodes.Values(null));
        if (start.StartsWith(ZipSignature) || start.StartsWith(EmptyZipSignature))
            return InspectZip(stream, fileName, limits);
        if (start.StartsWith(OleSignature))
            throw InspectOle(stream, fileName);
        if (start.StartsWith((byte[])[0xFF, 0xFE]) || start.StartsWith((byte[])[0xFE, 0xFF]))
        {
            throw new ExportFileException("unsupported_format",
                $"'{fileName}' is UTF-16 text, which is not accepted; save it as CSV in UTF-8. {Accepted}",
                ExportMessageCodes.Values("utf16"));
        }
        return ExportContainer.Text;
    }

    private static ExportContainer InspectZip(Stream stream, string fileName, ExportLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(entry => entry.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (zip.GetEntry("mimetype") is { } mimetype && ReadStart(mimetype).StartsWith("application/vnd.oasis.opendocument", StringComparison.Ordinal))
            {
                throw new ExportFileException("unsupported_format",
                    $"'{fileName}' is an OpenDocument file (.ods); an .ods file is not accepted. {Accepted}",
                    ExportMessageCodes.Values("ods"));
            }
            if (names.Contains("xl/workbook.bin"))
            {
                throw new ExportFileException("unsupported_format",
                    $"'{fileName}' is an Excel binary workbook (.xlsb), which is not accepted. {Accepted}",
                    ExportMessageCodes.Values("xlsb"));
            }
            if (!names.Contains("xl/workbook.xml"))
            {
                throw new ExportFileException("unsupported_format",
                    $"'{fileName}' is a ZIP archive but not an Excel workbook. {Accepted}",
                    ExportMessageCodes.Values("zip"));
            }
            CheckDeclaredSizes(zip, fileName, limits);
            foreach (var entry in zip.Entries)
            {
                if (WorkbookStructure.IsXmlPart(entry.FullName))
                    CheckXmlPart(entry, fileName, limits);
            }
            WorkbookStructure.Check(zip, fileName, limits);
            stream.Position = 0;
            return ExportContainer.Xlsx;
        }
        catch (InvalidDataException e)
        {
            throw new ExportFileException("corrupt_file",
                $"'{fileName}' looks like an Excel workbook (a ZIP archive) but is damaged and cannot be opened: {MessageText.Excerpt(e.Message, MessageText.MaxCause)} {Accepted}",
                ExportMessageCodes.Values("workbook"));
        }
    }

    private static void CheckDeclaredSizes(ZipArchive zip, string fileName, ExportLimits limits)
    {
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            total += entry.Length;
            if (entry.Length > limits.MaxPartBytes || total > 2 * limits.MaxPartBytes)
            {
                throw new ExportFileException("too_large",
                    $"'{fileName}' declares {entry.Length:N0} bytes in its part '{entry.FullName}'; a weekly export is never that large.",
                    ExportMessageCodes.Values("declared", ("part", entry.FullName), ("size", entry.Length)));
            }
            if (entry.Length >= RatioCheckedFromBytes && entry.Length > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new ExportFileException("corrupt_file",
                    $"'{fileName}' declares that its part '{entry.FullName}' expands from {entry.CompressedLength:N0} to {entry.Length:N0} bytes, which no real workbook does; the file is damaged or crafted.",
                    ExportMessageCodes.Values("ratio", ("part", entry.FullName), ("packed", entry.CompressedLength), ("size", entry.Length)));
            }
        }
    }

    private static void CheckInflated(ZipArchiveEntry entry, long inflated, string fileName, ExportLimits limits)
    {
        if (inflated > limits.MaxPartBytes)
        {
            throw new ExportFileException("too_large",
                $"The part '{entry.FullName}' of '{fileName}' inflates past {limits.MaxPartBytes:N0} bytes; a weekly export is never that large.",
                ExportMessageCodes.Values("inflated", ("part", entry.FullName), ("max", limits.MaxPartBytes)));
        }
        if (inflated >= RatioCheckedFromBytes && inflated > limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
        {
            throw new ExportFileException("corrupt_file",
                $"The part '{entry.FullName}' of '{fileName}' inflates from {entry.CompressedLength:N0} to more than {inflated:N0} bytes, which no real workbook does; the file is damaged or crafted.",
                ExportMessageCodes.Values("ratio", ("part", entry.FullName), ("packed", entry.CompressedLength), ("size", inflated)));
        }
    }

    /// <summary>
    /// One streaming pass over an XML part, before the workbook reader sees it. That reader keeps a whole
    /// text or tag in memory however long it is, so a part with a run of more than a few MiB between two
    /// '&lt;' is refused here; and no workbook carries a document type declaration, which is only good for
    /// entity expansion.
    /// </summary>
    private static void CheckXmlPart(ZipArchiveEntry entry, string fileName, ExportLimits limits)
    {
        using var content = entry.Open();
        var buffer = new byte[64 * 1024];
        long run = 0;
        long inflated = 0;
        var head = new List<byte>();
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            inflated += read;
            CheckInflated(entry, inflated, fileName, limits);
            var chunk = buffer.AsSpan(0, read);
            if (head.Count < 4096)
                head.AddRange(chunk[..Math.Min(chunk.Length, 4096 - head.Count)]);
            var last = chunk.LastIndexOf((byte)'<');
            if (last < 0)
            {
                run += chunk.Length;
            }
            else
            {
                var first = chunk.IndexOf((byte)'<');
                run += first;
                if (run <= MaxXmlTokenBytes)
                    run = LongestRunBetween(chunk[first..last]);
                if (run <= MaxXmlTokenBytes)
                    run = chunk.Length - last - 1;
            }
            if (run > MaxXmlTokenBytes)
            {
                throw new ExportFileException("line_too_long",
                    $"The part '{entry.FullName}' of '{fileName}' holds a cell or tag of more than {MaxXmlTokenBytes / 1024 / 1024} MiB; no cell of a weekly export is that long.",
                    ExportMessageCodes.Values("part", ("part", entry.FullName), ("mib", MaxXmlTokenBytes / 1024 / 1024)));
            }
        }
        if (Encoding.UTF8.GetString([.. head]).Contains("<!DOCTYPE", StringComparison.Ordinal))
        {
            throw new ExportFileException("corrupt_file",
                $"The part '{entry.FullName}' of '{fileName}' declares a document type (DTD), which no Excel workbook does; the file is damaged or crafted. {Accepted}",
                ExportMessageCodes.Values("dtd", ("part", entry.FullName)));
        }
    }

    private static long LongestRunBetween(ReadOnlySpan<byte> span)
    {
        long longest = 0;
        while (span.Length > 0)
        {
            var next = span[1..].IndexOf((byte)'<');
            var length = next < 0 ? span.Length - 1 : next;
            longest = Math.Max(longest, length);
            span = next < 0 ? [] : span[(next + 1)..];
        }
        return longest;
    }

    private static string ReadStart(ZipArchiveEntry entry)
    {
        using var content = entry.Open();
        var buffer = new byte[64];
        var read = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    // An encrypted Office workbook is an OLE compound file holding an "EncryptedPackage" stream; the name
    // sits in the compound file's directory, so finding it spelt in UTF-16 is enough to tell the two apart.
    private static ExportFileException InspectOle(Stream stream, string fileName)
    {
        var encrypted = Contains(stream, EncryptedPackageName);
        stream.Position = 0;
        return encrypted
            ? new ExportFileException("encrypted_file",
                $"'{fileName}' is a password-protected (encrypted) workbook; save it without a password. {Accepted}",
                ExportMessageCodes.Values(null))
            : new ExportFileException("unsupported_format",
                $"'{fileName}' is a legacy Excel 97–2003 workbook (.xls) or another Office 97–2003 document, which is not accepted. {Accepted}",
                ExportMessageCodes.Values("legacy"));
    }

    private static bool Contains(Stream stream, byte[] needle)
    {
        stream.Position = 0;
        var buffer = new byte[64 * 1024 + needle.Length];
        var carried = 0;
        while (true)
        {
            var read = stream.Read(buffer, carried, buffer.Length - carried);
            if (read == 0)
                return false;
            var filled = carried + read;
            if (buffer.AsSpan(0, filled).IndexOf(needle) >= 0)
                return true;
            carried = Math.Min(needle.Length - 1, filled);
            buffer.AsSpan(filled - carried, carried).CopyTo(buffer);
        }
    }
}
