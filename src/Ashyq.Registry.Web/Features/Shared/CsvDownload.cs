using CsvHelper;

namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>
/// Every CSV file the site writes, the public lists and the staff downloads alike: UTF-8 with a byte-order
/// mark, ';' between cells (what Excel expects in Russian and Kazakh settings), CR LF after each row, a
/// cell quoted only when it holds a ';', a quote or a line break, and any cell a spreadsheet would run as
/// a formula made plain text.
/// </summary>
public sealed class CsvDownload : IAsyncDisposable
{
    // The library's own formula guard stays off: the site's rule (Lists.ListDownload.Neutralise) keeps a
    // signed plain number such as -3 as read, which the library would mark as text.
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Separator = ';',
        WriteByteOrderMark = true,
        Injection = CsvInjection.None,
    };

    private readonly CsvWriter _csv;

    public CsvDownload(Stream output) => _csv = CsvWriter.Create(output, Options, leaveOpen: true);

    public static void Start(HttpResponse response, string fileName)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>One row; a null or empty cell is an empty field.</summary>
    public async Task RowAsync(params string?[] cells)
    {
        foreach (var cell in cells)
            _csv.WriteField(Defuse(cell));
        await _csv.EndRecordAsync();
    }

    /// <summary>One cell as a row writes it: defused, then quoted when needed.</summary>
    public static string Cell(string? value)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteField(Defuse(value));
            csv.WriteField("");
            csv.EndRecord();
        }
        // The cell, without the empty second cell and the line's end that make it a row of its own.
        return text.ToString()[..^";\r\n".Length];
    }

    /// <summary>
    /// A leading =, +, -, @, tab or carriage return is defused with an apostrophe, except in a signed plain
    /// number (-3), which a spreadsheet reads as a number and which stays as read.
    /// </summary>
    private static string Defuse(string? value) => string.IsNullOrEmpty(value) ? "" : Lists.ListDownload.Neutralise(value);

    public async ValueTask DisposeAsync() => await _csv.DisposeAsync();
}
