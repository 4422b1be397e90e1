using System.Diagnostics;
using System.Globalization;
using Ashyq.Registry.Bench;
using Ashyq.Registry.Core.Demo;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Fuzz;

const string Usage = """
    Usage:
      generate --businesses N --weeks W --out DIR [--format csv] [--encoding utf8|cp1251]
      generate-rows --rows N --out FILE [--week K] [--moved-percent P] [--encoding utf8|cp1251]
                                       week K's draw of statuses (default 0); with P, that many in a hundred
                                       businesses give a new address, the rest exactly as in week K
      demo --out DIR
      read --file FILE                 read and validate a file as the import does, without a database
      fuzz --count N --seed S [--start I] [--hostile yes|no|only] [--keep DIR]
                                       read N damaged exports (cases I to I+N-1 of seed S) and the hostile files;
                                       exits 1 if any gave anything but file or row errors within the bounds
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    var options = ParseOptions(args.AsSpan(1));
    var stopwatch = Stopwatch.StartNew();
    switch (args[0])
    {
        case "generate":
            {
                var businesses = Number(options, "businesses");
                var weeks = Number(options, "weeks");
                var outDir = Required(options, "out");
                if (options.GetValueOrDefault("format", "csv") != "csv")
                    throw new ArgumentException("Only --format csv is supported.");
                var layout = Layout(options);
                Directory.CreateDirectory(outDir);
                var generator = new NationalExportGenerator(businesses);
                for (var week = 0; week < weeks; week++)
                {
                    var path = Path.Combine(outDir, $"week-{NationalExportGenerator.WeekStart(week):yyyy-MM-dd}.csv");
                    using var file = File.Create(path);
                    var rows = generator.WriteWeek(file, layout, week);
                    Console.WriteLine($"{path}\t{rows} rows");
                }
                break;
            }
        case "generate-rows":
            {
                var rows = Number(options, "rows");
                var outFile = Required(options, "out");
                if (Path.GetDirectoryName(Path.GetFullPath(outFile)) is { } parent)
                    Directory.CreateDirectory(parent);
                using var file = File.Create(outFile);
                var week = options.ContainsKey("week") ? Number(options, "week") : 0;
                var moved = options.ContainsKey("moved-percent") ? Number(options, "moved-percent") : 0;
                var written = new NationalExportGenerator(rows).WriteWeek(file, Layout(options), week, everyBusiness: true, movedPercent: moved);
                Console.WriteLine($"{outFile}\t{written} rows");
                break;
            }
        case "demo":
            {
                foreach (var export in DemoExportGenerator.WriteAll(Required(options, "out")))
                    Console.WriteLine($"{export.WeekStart:yyyy-MM-dd}\t{export.Path}");
                break;
            }
        case "read":
            {
                var path = Required(options, "file");
                // Enough of the built-in aliases for every generated category text to find its category.
                var categories = new CategoryMatcher([
                    ("кафе", "catering"), ("ресторан", "catering"), ("столовая", "catering"), ("кофейня", "catering"),
                    ("рынок", "markets"), ("трц", "markets"), ("торговый центр", "markets"), ("салон красоты", "beauty"),
                    ("парикмахерская", "beauty"), ("барбершоп", "beauty"), ("детский центр", "children"), ("фитнес", "fitness"),
                    ("фитнес-клуб", "fitness"), ("йога", "fitness"), ("гостиница", "hotels"), ("отель", "hotels"), ("хостел", "hotels"),
                    ("кинотеатр", "leisure"), ("театр", "leisure"), ("музей", "leisure"), ("боулинг", "leisure")]);
                using var file = ExportFile.Open(path, Path.GetFileName(path), categories);
                int rows = 0, rejected = 0, messages = 0;
                foreach (var result in file.ReadRows())
                {
                    rows++;
                    messages += result.Messages.Count;
                    if (result.Row is null)
                        rejected++;
                }
                Console.WriteLine($"{path}: {rows} rows read, {rejected} rejected, {messages} messages ({file.Format})");
                break;
            }
        case "fuzz":
            {
                var failures = Fuzz(options);
                Console.Error.WriteLine($"done in {stopwatch.Elapsed.TotalSeconds:0.0} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
                return failures == 0 ? 0 : 1;
            }
        default:
            throw new ArgumentException($"Unknown command '{args[0]}'.");
    }
    Console.Error.WriteLine($"done in {stopwatch.Elapsed.TotalSeconds:0.0} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

static int Fuzz(Dictionary<string, string> options)
{
    var hostile = options.GetValueOrDefault("hostile", "yes");
    var count = hostile == "only" ? 0 : Number(options, "count");
    var seed = int.TryParse(Required(options, "seed"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
        ? s
        : throw new ArgumentException("--seed must be a whole number.");
    var start = options.TryGetValue("start", out var from) ? int.Parse(from, CultureInfo.InvariantCulture) : 0;
    var keep = options.GetValueOrDefault("keep");
    var directory = Path.Combine(Path.GetTempPath(), "ashyq-fuzz", $"{Environment.ProcessId}");
    var bounds = FuzzBounds.Default;
    var results = new List<FuzzResult>();
    var stopwatch = Stopwatch.StartNew();

    void Record(FuzzResult result)
    {
        results.Add(result);
        if (!result.Passed)
        {
            Console.WriteLine($"FAIL {result}");
            if (keep is not null && result.Id.StartsWith("seed ", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(keep);
                var index = int.Parse(result.Id[(result.Id.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                var fuzzCase = ExportFuzzer.MakeCase(seed, index);
                var kept = Path.Combine(keep, $"case-{seed}-{index}{Path.GetExtension(fuzzCase.FileName)}");
                File.WriteAllBytes(kept, fuzzCase.Bytes);
                Console.WriteLine($"     kept as {kept}");
            }
        }
    }

    if (hostile != "no")
    {
        foreach (var file in HostileExportFiles.All)
        {
            var result = ExportFuzzer.RunHostile(file, directory, bounds);
            Record(result);
            Console.WriteLine($"hostile {file.Name}: {result.Verdict}, {result.Elapsed.TotalMilliseconds:N0} ms, heap +{result.PeakHeapGrowth / (1024 * 1024)} MB: {result.Detail}");
        }
    }
    foreach (var result in ExportFuzzer.Run(seed, start, count, directory, bounds))
    {
        Record(result);
        if (count <= 20 && result.Passed)
            Console.WriteLine($"ok {result}");
        var done = results.Count(r => r.Id.StartsWith("seed ", StringComparison.Ordinal));
        if (done % 1000 == 0)
            Console.WriteLine($"{done:N0} of {count:N0} cases in {stopwatch.Elapsed.TotalSeconds:N0} s");
    }
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }

    var cases = results.Where(r => r.Id.StartsWith("seed ", StringComparison.Ordinal)).ToList();
    Console.WriteLine();
    Console.WriteLine($"seed {seed}, cases {start} to {start + count - 1}: {cases.Count:N0} damaged files, {results.Count - cases.Count} hostile files");
    foreach (var group in results.GroupBy(r => r.Verdict).OrderBy(g => g.Key))
        Console.WriteLine($"  {group.Key}: {group.Count():N0}");
    Console.WriteLine("  file errors by code: " + string.Join(", ", results.Where(r => r.Verdict == FuzzVerdict.FileError)
        .GroupBy(r => r.Detail[..Math.Max(0, r.Detail.IndexOf(':', StringComparison.Ordinal))])
        .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count():N0}")));
    if (cases.Count > 0)
    {
        Console.WriteLine($"  files: CSV {cases.Count(r => !r.Description.StartsWith("xlsx", StringComparison.Ordinal)):N0}, XLSX {cases.Count(r => r.Description.StartsWith("xlsx", StringComparison.Ordinal)):N0}");
        Console.WriteLine($"  rows read {cases.Sum(r => (long)r.Rows):N0}, of them rejected {cases.Sum(r => (long)r.RejectedRows):N0}");
        var slowest = cases.MaxBy(r => r.Elapsed)!;
        var hungriest = cases.MaxBy(r => r.PeakHeapGrowth)!;
        Console.WriteLine($"  slowest case {slowest.Elapsed.TotalMilliseconds:N0} ms ({slowest.Id}); largest heap growth {hungriest.PeakHeapGrowth / (1024 * 1024)} MB ({hungriest.Id})");
    }
    var failures = results.Count(r => !r.Passed);
    Console.WriteLine($"  failures: {failures}");
    return failures;
}

static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
{
    var options = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"Expected '--name value' at '{args[i]}'.");
        options[args[i][2..]] = args[i + 1];
    }
    return options;
}

static string Required(Dictionary<string, string> options, string name) =>
    options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

static int Number(Dictionary<string, string> options, string name) =>
    int.TryParse(Required(options, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException($"--{name} must be a whole number above zero.");

static ExportLayout Layout(Dictionary<string, string> options) => options.GetValueOrDefault("encoding", "utf8") switch
{
    "utf8" => ExportLayout.RussianUtf8,
    "cp1251" => ExportLayout.RussianCp1251,
    var other => throw new ArgumentException($"Unknown --encoding '{other}': use utf8 or cp1251."),
};
