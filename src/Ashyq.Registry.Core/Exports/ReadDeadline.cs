using System.Diagnostics;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// The time bound on reading one file, from opening it to its last row (<see cref="ExportLimits.ReadTimeout"/>):
/// checked between rows, so that no shape of file, and no slow load behind it, holds an import without end.
/// </summary>
internal sealed class ReadDeadline(Stopwatch clock, TimeSpan timeout, string fileName)
{
    private const int RowsBetweenChecks = 256;

    public void Check()
    {
        if (clock.Elapsed > timeout)
        {
            throw new ExportFileException("read_timeout",
                $"Reading '{fileName}' took longer than {timeout.TotalSeconds:N0} s, the longest one file may take; nothing of it was loaded. "
                + "A weekly export reads in well under a minute: the file may be crafted, or the server overloaded (try again later).",
                new Dictionary<string, string> { ["seconds"] = ((long)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    public IEnumerable<SheetRow> Watch(IEnumerable<SheetRow> rows)
    {
        var count = 0;
        foreach (var row in rows)
        {
            if (++count % RowsBetweenChecks == 0)
                Check();
            yield return row;
        }
        Check();
    }
}
