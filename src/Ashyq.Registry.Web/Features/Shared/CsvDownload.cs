using System.Text;

namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>
/// CSV files for spreadsheets: UTF-8 with a byte-order mark, ';' between cells (what Excel expects in
/// Russian and Kazakh settings), and any cell a spreadsheet would run as a formula made plain text.
/// </summary>
public sealed class CsvDownload(Stream output) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true);

    public static void Start(HttpResponse response, string fileName)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        response.Headers.CacheControl = "no-store";
    }

    public async Task RowAsync(params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
                await _writer.WriteAsync(';');
            await _writer.WriteAsync(Cell(cells[i]));
        }
        await _writer.WriteAsync("\r\n");
    }

    /// <summary>
    /// One cell, quoted when needed; a leading =, +, -, @, tab or carriage return is defused with an apostrophe,
    /// except in a signed plain number (-3), which a spreadsheet reads as a number and which stays as read.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        value = Lists.ListDownload.Neutralise(value);
        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }
}
