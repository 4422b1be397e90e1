using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Spreadsheets;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>
/// The reader streams: what it keeps alive while reading does not grow with the file. Memory is measured
/// as the managed heap after a full collection, sampled as rows go by, so no timing is involved.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class ExportMemoryTests : IDisposable
{
    private const long MaxRetainedGrowth = 8L * 1024 * 1024;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ashyq-export-tests", Guid.NewGuid().ToString("N"));

    public ExportMemoryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadRows_LargeCsv_KeepsNoMoreAliveThanASmallOne()
    {
        var small = WriteCsv("small.csv", 1_000);
        var large = WriteCsv("large.csv", 300_000);

        var smallPeak = PeakRetainedWhileReading(small, 1_000);
        var largePeak = PeakRetainedWhileReading(large, 300_000);

        Assert.True(new FileInfo(large).Length > 4 * MaxRetainedGrowth, "The large file must dwarf the allowed growth.");
        Assert.True(largePeak - smallPeak < MaxRetainedGrowth, $"Reading kept {largePeak - smallPeak:N0} bytes more alive for the large file ({smallPeak:N0} for the small one).");
    }

    [Fact]
    public void ReadRows_LargeWorkbook_KeepsNoMoreAliveThanASmallOne()
    {
        var small = WriteXlsx("small.xlsx", 1_000);
        var large = WriteXlsx("large.xlsx", 150_000);

        var smallPeak = PeakRetainedWhileReading(small, 1_000);
        var largePeak = PeakRetainedWhileReading(large, 150_000);

        Assert.True(largePeak - smallPeak < MaxRetainedGrowth, $"Reading kept {largePeak - smallPeak:N0} bytes more alive for the large workbook.");
    }

    private static long PeakRetainedWhileReading(string path, int expectedRows)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var valid = 0;
        using (var file = ExportTestFiles.Open(path))
        {
            foreach (var result in file.ReadRows())
            {
                if (result.Row is not null)
                    valid++;
                if (file.DataRows % 25_000 == 0 || file.DataRows == expectedRows)
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
        Assert.Equal(expectedRows, valid);
        return peak;
    }

    private string WriteCsv(string name, int rows)
    {
        var path = Path.Combine(_directory, name);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("Выгрузка за период 06.09.2021 – 12.09.2021\r\n");
        writer.Write(ExportTestFiles.RussianHeader + "\r\n");
        for (var i = 0; i < rows; i++)
        {
            writer.Write(ExportTestFiles.Row(BinFor(i), name: $"ТОО \"\"Объект {i}\"\"", address: $"\"ул. Абая, {i}\"", scans: (i % 1000).ToString(CultureInfo.InvariantCulture)));
            writer.Write("\r\n");
        }
        return path;
    }

    private string WriteXlsx(string name, int rows)
    {
        var path = Path.Combine(_directory, name);
        using var stream = File.Create(path);
        using var writer = new XlsxWriter(stream);
        writer.WriteRow("BIN", "Name", "Category", "District", "Joined on", "Scans", "Status");
        for (var i = 0; i < rows; i++)
            writer.WriteRow(long.Parse(BinFor(i), CultureInfo.InvariantCulture), $"ТОО \"Объект {i}\"", "Кафе", "Медеу", new DateOnly(2021, 7, 15), i % 1000, "участник");
        return path;
    }

    private static string BinFor(int i)
    {
        for (var serial = i * 10L; ; serial++)
        {
            if (Bin.Complete(serial.ToString("D11", CultureInfo.InvariantCulture)) is { } bin)
                return bin;
        }
    }
}

/// <summary>Memory is measured process-wide, so these tests run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
