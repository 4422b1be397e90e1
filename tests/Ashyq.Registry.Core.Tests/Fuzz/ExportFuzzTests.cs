using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Tests.Exports;
using Ashyq.Registry.Fuzz;

namespace Ashyq.Registry.Core.Tests.Fuzz;

/// <summary>
/// The short fuzz run: a few hundred damaged files and each hostile file once. The long run is the bench
/// tool's fuzz command (docs/reliability.md). Memory is measured process-wide, so these run alone.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class ExportFuzzTests : IDisposable
{
    private const int Seed = 20210719;
    private const int Cases = 500;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ashyq-export-fuzz", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static TheoryData<string> HostileNames => [.. HostileExportFiles.All.Select(file => file.Name)];

    [Fact]
    public void Read_MutatedFiles_GiveOnlyFileOrRowErrorsWithinBounds()
    {
        var results = ExportFuzzer.Run(Seed, start: 0, Cases, _directory, FuzzBounds.Default).ToList();

        var failures = results.Where(result => !result.Passed).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} cases failed:\n{string.Join("\n", failures)}");
        Assert.Contains(results, result => result.Verdict == FuzzVerdict.Rows && result.RejectedRows > 0);
        Assert.Contains(results, result => result.Verdict == FuzzVerdict.FileError);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Read_HostileFile_GivesOnlyAFileOrRowErrorWithinBounds(string name)
    {
        var hostile = HostileExportFiles.All.Single(file => file.Name == name);

        var result = ExportFuzzer.RunHostile(hostile, _directory, FuzzBounds.Default);

        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Seeds_AreValidExportsBeforeTheyAreDamaged()
    {
        foreach (var seed in ExportFuzzSeeds.All)
        {
            var path = Path.Combine(Directory.CreateDirectory(_directory).FullName, seed.Name + Path.GetExtension(seed.FileName));
            File.WriteAllBytes(path, seed.Bytes);

            using var file = ExportFile.Open(path, seed.FileName, ExportFuzzSeeds.Categories);
            var rows = file.ReadRows().ToList();

            Assert.True(rows.Count >= 20, $"{seed.Name}: {rows.Count} rows");
            if (!seed.Name.Contains("errors", StringComparison.Ordinal))
                Assert.All(rows, row => Assert.True(row.Row is not null, $"{seed.Name}, row {row.LineNo}: {string.Join("; ", row.Messages.Select(m => m.Message))}"));
        }
    }

    [Fact]
    public void Check_ReaderThatThrowsOrHangs_IsReportedAsAFailure()
    {
        var bounds = new FuzzBounds(TimeSpan.FromMilliseconds(200), FuzzBounds.Default.HeapGrowthBytes);

        var crash = ExportFuzzer.CheckReading(() => throw new InvalidOperationException("canary"), "canary", "throws", bounds);
        var hang = ExportFuzzer.CheckReading(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(2));
            return (0, 0, null);
        }, "canary", "hangs", bounds);
        var hoard = ExportFuzzer.CheckReading(() =>
        {
            var kept = new byte[(int)(bounds.HeapGrowthBytes + (16 * 1024 * 1024))];
            GC.KeepAlive(kept);
            return (kept.Length > 0 ? 1 : 0, 0, null);
        }, "canary", "hoards", bounds);

        Assert.Equal(FuzzVerdict.Crash, crash.Verdict);
        Assert.Equal(FuzzVerdict.Timeout, hang.Verdict);
        Assert.Equal(FuzzVerdict.OverMemory, hoard.Verdict);
    }
}
