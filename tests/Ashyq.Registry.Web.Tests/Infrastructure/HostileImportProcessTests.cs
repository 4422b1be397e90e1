using System.Diagnostics;
using System.Globalization;
using Ashyq.Registry.Fuzz;
using Ashyq.Registry.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// Each hostile file through the real pipeline in a process of its own (the built site's <c>import</c> verb: the
/// file stored, the import run, its outcome recorded), with that process's peak resident memory and CPU time
/// read from the kernel while it runs. The peak is the kernel's high-water mark, so a sample misses nothing
/// before it; the samples are 10 ms apart and the process exits right after the import is refused.
/// </summary>
public sealed class HostileImportProcessTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The memory target for the whole process while it imports one file.</summary>
    private const long MaxPeakRssBytes = 300L * 1024 * 1024;

    private const string Week = "2021-07-19";

    /// <summary>Starting the verb, migrating nothing, storing and refusing the file; a grid of billions of cells took minutes.</summary>
    private static readonly TimeSpan MaxCpu = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan MaxWall = TimeSpan.FromMinutes(3);

    private readonly string _dir = Directory.CreateTempSubdirectory("ashyq-hostile").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Shapes => new()
    {
        { "xlsx-nested-8m-sheet", "xml_too_deep" },
        { "xlsx-far-cell-and-row", "sheet_too_sparse" },
        { "xlsx-far-row-wide-header", "sheet_too_sparse" },
        { "xlsx-5m-shared-strings", "shared_strings_too_large" },
        { "xlsx-shared-strings-count-2e9", "shared_strings_too_large" },
        { "csv-mixed-encodings", "mixed_encoding" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ImportVerb_HostileFile_IsRefusedWithinMemoryAndCpu_AndNothingIsHalfLoaded(string shape, string code)
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("hostile");
        var hostile = HostileExportFiles.All.Single(file => file.Name == shape);
        var path = Path.Combine(_dir, hostile.FileName);
        hostile.Write(path);

        var run = await MeasuredVerb.RunAsync(connectionString, MaxWall, "import", path, "--week", Week);
        output.WriteLine($"{shape} ({new FileInfo(path).Length:N0} bytes): {run}");

        Assert.False(run.TimedOut, $"Still running after {MaxWall}: {run}");
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.True(run.PeakRssBytes <= MaxPeakRssBytes, $"Peak RSS {run.PeakRssBytes / 1024 / 1024} MB: {run}");
        Assert.True(run.Cpu <= MaxCpu, $"CPU {run.Cpu.TotalSeconds:0.0} s: {run}");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal("failed", await ScalarAsync<string>(connection, "SELECT state FROM imports"));
        Assert.Equal(code, await ScalarAsync<string>(connection, "SELECT code FROM import_messages WHERE severity = 'file_error'"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM week_rows"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM weeks WHERE status IN ('draft', 'published')"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'week_rows'::regclass"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_class WHERE relname LIKE 'week\\_rows\\_2%'"));
    }

    /// <summary>The same measurement of a valid file, as the figure the hostile ones compare with; a measurement that read nothing would fail here.</summary>
    [Fact]
    public async Task ImportVerb_ValidWorkbook_IsLoaded_AndTheMeasurementSeesTheProcess()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("hostile");
        var seed = ExportFuzzSeeds.All.First(seed => seed.IsWorkbook);
        var path = Path.Combine(_dir, seed.FileName);
        await File.WriteAllBytesAsync(path, seed.Bytes);

        var run = await MeasuredVerb.RunAsync(connectionString, MaxWall, "import", path, "--week", Week);
        output.WriteLine($"{seed.Name}: {run}");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.InRange(run.PeakRssBytes, 20L * 1024 * 1024, MaxPeakRssBytes);
        Assert.True(run.Cpu > TimeSpan.Zero, run.ToString());
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A verb of the built site run as a process, with its peak resident memory and CPU time sampled from /proc.</summary>
internal static class MeasuredVerb
{
    /// <summary>The kernel reports CPU time in USER_HZ ticks, 100 a second on every architecture Linux runs .NET on.</summary>
    private const double ClockTicksPerSecond = 100;

    public sealed record Result(int ExitCode, bool TimedOut, long PeakRssBytes, TimeSpan Cpu, TimeSpan Wall, string Output)
    {
        public override string ToString() =>
            $"exit {ExitCode}, peak RSS {PeakRssBytes / 1024.0 / 1024:0} MB, CPU {Cpu.TotalSeconds:0.00} s, wall {Wall.TotalSeconds:0.0} s; "
            + Output[..Math.Min(Output.Length, 2_000)];
    }

    public static async Task<Result> RunAsync(string connectionString, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.WorkingDirectory = AppContext.BaseDirectory;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var cpu = TimeSpan.Zero;
        var timedOut = false;
        while (!process.HasExited)
        {
            if (Sample(process.Id) is { } sample)
                (peak, cpu) = (Math.Max(peak, sample.PeakRss), sample.Cpu);
            if (clock.Elapsed > timeout)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                break;
            }
            await Task.Delay(10);
        }
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, timedOut, peak, cpu, clock.Elapsed, await stdout + await stderr);
    }

    /// <summary>VmHWM (the kernel's high-water mark of resident memory) and user plus system time; null once the process is gone.</summary>
    private static (long PeakRss, TimeSpan Cpu)? Sample(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            var hwm = status.FirstOrDefault(line => line.StartsWith("VmHWM:", StringComparison.Ordinal));
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (hwm is null)
                return null;
            var kilobytes = long.Parse(hwm["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (kilobytes * 1024, TimeSpan.FromSeconds(ticks / ClockTicksPerSecond));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
