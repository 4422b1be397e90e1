using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Fuzz;

public enum FuzzVerdict
{
    /// <summary>The file opened and every row came back as a row or as row messages.</summary>
    Rows,

    /// <summary>The file was refused with an <see cref="ExportFileException"/>.</summary>
    FileError,

    /// <summary>Any other exception escaped the reader.</summary>
    Crash,

    /// <summary>Reading took longer than the time bound.</summary>
    Timeout,

    /// <summary>The managed heap grew past the memory bound while reading.</summary>
    OverMemory,

    /// <summary>A message broke the reader's own promises: empty, unreadably long, or a rejected row with no error.</summary>
    BadMessage,
}

/// <summary>How much one file may cost. Exceeding either fails the case; neither is a benchmark.</summary>
public sealed record FuzzBounds(TimeSpan Time, long HeapGrowthBytes)
{
    public static FuzzBounds Default { get; } = new(TimeSpan.FromSeconds(10), 200L * 1024 * 1024);

    /// <summary>A message longer than this is no help to the person reading it.</summary>
    public const int MaxMessageLength = 2_000;
}

/// <summary>One generated file: where it came from, so that it can be made again, and how it was damaged.</summary>
public sealed record FuzzCase(int Seed, int Index, string SeedName, string FileName, byte[] Bytes, string Mutations)
{
    public string Id => $"seed {Seed} case {Index}";
}

public sealed record FuzzResult(string Id, string Description, FuzzVerdict Verdict, string Detail, TimeSpan Elapsed, long PeakHeapGrowth,
    int Rows, int RejectedRows)
{
    public bool Passed => Verdict is FuzzVerdict.Rows or FuzzVerdict.FileError;

    public override string ToString() =>
        $"{Id} [{Description}]: {Verdict} after {Elapsed.TotalMilliseconds:N0} ms, heap +{PeakHeapGrowth / (1024 * 1024)} MB: {Detail}";
}

/// <summary>
/// The property every export file must keep, whatever its bytes: opening it and reading all its rows ends
/// in rows, row messages or one <see cref="ExportFileException"/>, within bounded time and memory.
/// </summary>
public static class ExportFuzzer
{
    /// <summary>The case <paramref name="index"/> of the run <paramref name="seed"/>: the same two numbers always give the same bytes.</summary>
    public static FuzzCase MakeCase(int seed, int index)
    {
        var random = new Random(CaseSeed(seed, index));
        var seeds = ExportFuzzSeeds.All;
        var origin = seeds[random.Next(seeds.Count)];
        var mutator = new ExportMutator(random);
        var bytes = origin.IsWorkbook ? mutator.MutateWorkbook(origin.Bytes) : mutator.MutateText(origin.Bytes, origin.Delimiter);
        return new FuzzCase(seed, index, origin.Name, origin.FileName, bytes, $"{origin.Name}: {string.Join("; ", mutator.Log)}");
    }

    // Random's generators for neighbouring seeds start out alike; mixing seed and index first (SplitMix64's
    // finaliser) gives every case a generator unrelated to the next one.
    private static int CaseSeed(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32) | (uint)index;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>Makes, writes, checks and deletes cases <paramref name="start"/> to start + count − 1 of a run.</summary>
    public static IEnumerable<FuzzResult> Run(int seed, int start, int count, string directory, FuzzBounds bounds)
    {
        Directory.CreateDirectory(directory);
        for (var index = start; index < start + count; index++)
        {
            var fuzzCase = MakeCase(seed, index);
            var path = Path.Combine(directory, $"case-{seed}-{index}{Path.GetExtension(fuzzCase.FileName)}");
            File.WriteAllBytes(path, fuzzCase.Bytes);
            var result = Check(path, fuzzCase.FileName, fuzzCase.Id, fuzzCase.Mutations, bounds);
            if (result.Passed)
                TryDelete(path);
            yield return result;
        }
    }

    /// <summary>Writes one hostile file, checks it and deletes it.</summary>
    public static FuzzResult RunHostile(HostileFile hostile, string directory, FuzzBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(hostile);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"hostile-{hostile.Name}{Path.GetExtension(hostile.FileName)}");
        try
        {
            hostile.Write(path);
            return Check(path, hostile.FileName, hostile.Name, hostile.Description, bounds);
        }
        finally
        {
            TryDelete(path);
        }
    }

    public static FuzzResult Check(string path, string fileName, string id, string description, FuzzBounds bounds) =>
        CheckReading(() => ReadAll(path, fileName), id, description, bounds);

    /// <summary>
    /// Runs <paramref name="read"/> on a thread of its own while the managed heap is sampled. A read that
    /// outlives the time bound is left behind (a thread cannot be stopped from outside) and reported.
    /// </summary>
    [SuppressMessage("Design", "CA1031", Justification = "Any exception but a file error is the crash the fuzzer is looking for, and is reported as one.")]
    public static FuzzResult CheckReading(Func<(int Rows, int Rejected, string? BadMessage)> read, string id, string description, FuzzBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(bounds);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        long peak = 0;
        var done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                var growth = GC.GetTotalMemory(forceFullCollection: false) - baseline;
                if (growth > Interlocked.Read(ref peak))
                    Interlocked.Exchange(ref peak, growth);
                Thread.Sleep(2);
            }
        })
        { IsBackground = true, Name = "fuzz heap sampler" };

        FuzzVerdict verdict = FuzzVerdict.Crash;
        var detail = "";
        int rows = 0, rejected = 0;
        var worker = new Thread(() =>
        {
            try
            {
                var (readRows, readRejected, badMessage) = read();
                (rows, rejected) = (readRows, readRejected);
                (verdict, detail) = badMessage is null
                    ? (FuzzVerdict.Rows, $"{readRows} rows, {readRejected} rejected")
                    : (FuzzVerdict.BadMessage, badMessage);
            }
            catch (ExportFileException e)
            {
                (verdict, detail) = string.IsNullOrWhiteSpace(e.Code) || string.IsNullOrWhiteSpace(e.Message) || e.Message.Length > FuzzBounds.MaxMessageLength
                    ? (FuzzVerdict.BadMessage, $"file error '{e.Code}' with a message of {e.Message.Length:N0} characters: {Shorten(e.Message)}")
                    : (FuzzVerdict.FileError, $"{e.Code}: {e.Message}");
            }
            catch (Exception e)
            {
                (verdict, detail) = (FuzzVerdict.Crash, e.ToString());
            }
        })
        { IsBackground = true, Name = "fuzz reader" };

        var stopwatch = Stopwatch.StartNew();
        sampler.Start();
        worker.Start();
        var finished = worker.Join(bounds.Time);
        stopwatch.Stop();
        Volatile.Write(ref done, true);
        sampler.Join();
        var growth = Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(forceFullCollection: false) - baseline);

        if (!finished)
            return new FuzzResult(id, description, FuzzVerdict.Timeout, $"still reading after {bounds.Time.TotalSeconds:N0} s", stopwatch.Elapsed, growth, rows, rejected);
        if (growth > bounds.HeapGrowthBytes)
        {
            return new FuzzResult(id, description, FuzzVerdict.OverMemory,
                $"the heap grew by {growth / (1024 * 1024)} MB (bound {bounds.HeapGrowthBytes / (1024 * 1024)} MB); the reader said {Shorten(detail)}",
                stopwatch.Elapsed, growth, rows, rejected);
        }
        return new FuzzResult(id, description, verdict, verdict == FuzzVerdict.Crash ? detail : Shorten(detail), stopwatch.Elapsed, growth, rows, rejected);
    }

    private static (int Rows, int Rejected, string? BadMessage) ReadAll(string path, string fileName)
    {
        using var file = ExportFile.Open(path, fileName, ExportFuzzSeeds.Categories);
        string? bad = CheckMessages(file.FileWarnings, "file warning");
        if (string.IsNullOrWhiteSpace(file.Format))
            bad ??= "the file has no format description";
        int rows = 0, rejected = 0;
        foreach (var result in file.ReadRows())
        {
            rows++;
            if (result.Row is null)
            {
                rejected++;
                if (!result.Messages.Any(message => message.Severity == MessageSeverity.RowError))
                    bad ??= $"row {result.LineNo} was rejected without a row error";
            }
            bad ??= CheckMessages(result.Messages, $"row {result.LineNo}");
        }
        return (rows, rejected, bad);
    }

    private static string? CheckMessages(IEnumerable<ExportMessage> messages, string where)
    {
        foreach (var message in messages)
        {
            if (string.IsNullOrWhiteSpace(message.Code) || string.IsNullOrWhiteSpace(message.Message))
                return $"{where}: a message without code or text";
            if (message.Message.Length > FuzzBounds.MaxMessageLength)
                return $"{where}: the message '{message.Code}' is {message.Message.Length:N0} characters long: {Shorten(message.Message)}";
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A file still held by a read that timed out is left for the operating system's temp cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
