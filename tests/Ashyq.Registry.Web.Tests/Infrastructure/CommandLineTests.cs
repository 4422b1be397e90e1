using System.Diagnostics;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>The verbs, run as a real process of the built site binary.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Migrate_TwoProcessesAtOnce_BothSucceedAndSchemaIsAppliedOnce()
    {
        var connectionString = await TestCluster.CreateEmptyDatabaseAsync("verbs");

        var runs = await Task.WhenAll(Verb.RunAsync(connectionString, "migrate"), Verb.RunAsync(connectionString, "migrate"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) = count(DISTINCT version) FROM schema_migrations", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsage_Exits2()
    {
        var run = await Verb.RunAsync("Host=127.0.0.1", "frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithoutConnectionString_NamesTheSetting_Exits2()
    {
        var run = await Verb.RunAsync(null, "migrate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ConnectionStrings__Registry", run.Output, StringComparison.Ordinal);
    }
}

public sealed class ImportVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ashyq-verbs").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Import_ValidFile_Exits0_ThenPublishAndWithdraw()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");
        var file = Path.Combine(_dir, "week.csv");
        await File.WriteAllBytesAsync(file, new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").Row(ExportBuilder.BinFor(2), "участник").ToBytes());

        var import = await Verb.RunAsync(connectionString, "import", file, "--week", "2021-07-19", "--json");
        var again = await Verb.RunAsync(connectionString, "import", file, "--week", "2021-07-19");
        var publish = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19");
        var withdraw = await Verb.RunAsync(connectionString, "withdraw", "--week", "2021-07-19", "--reason", "Wrong file");

        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Contains("\"state\": \"loaded\"", import.Output, StringComparison.Ordinal);
        Assert.Contains("\"rowsLoaded\": 2", import.Output, StringComparison.Ordinal);
        // Standard output is the JSON summary alone (log lines go to standard error), whatever the log format.
        using (var summary = System.Text.Json.JsonDocument.Parse(import.StandardOutput))
            Assert.Equal("loaded", summary.RootElement.GetProperty("state").GetString());
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("already loaded", again.Output, StringComparison.Ordinal);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.True(withdraw.ExitCode == 0, withdraw.Output);
    }

    [Fact]
    public async Task PublishAndWithdraw_FromTheCommandLine_AuditLogNamesTheAccountThatRanThem()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");
        var file = Path.Combine(_dir, "week.csv");
        await File.WriteAllBytesAsync(file, new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());

        var import = await Verb.RunAsync(connectionString, "import", file, "--week", "2021-07-19");
        var publish = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19");
        var withdraw = await Verb.RunAsync(connectionString, "withdraw", "--week", "2021-07-19", "--reason", "Wrong file");

        Assert.True(import.ExitCode == 0 && publish.ExitCode == 0 && withdraw.ExitCode == 0, import.Output + publish.Output + withdraw.Output);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT action, actor FROM audit_log WHERE action IN ('week.publish', 'week.withdraw') AND subject = '2021-07-19' ORDER BY id", connection);
        var entries = new List<(string Action, string Actor)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                entries.Add((reader.GetString(0), reader.GetString(1)));
        }
        var expected = $"cli:{Environment.UserName}";
        Assert.Equal([("week.publish", expected), ("week.withdraw", expected)], entries);
    }

    [Fact]
    public async Task Import_WithJsonLogs_WritesOneCompactJsonEventPerLineToStandardError_AndOnlyTheSummaryToStandardOutput()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");
        var file = Path.Combine(_dir, "week.csv");
        await File.WriteAllBytesAsync(file, new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());

        var import = await Verb.RunAsync(connectionString, new Dictionary<string, string> { ["Serilog__ConsoleFormat"] = "json" },
            "import", file, "--week", "2021-07-19", "--json");

        Assert.True(import.ExitCode == 0, import.Output);
        using var summary = System.Text.Json.JsonDocument.Parse(import.StandardOutput);
        Assert.Equal("loaded", summary.RootElement.GetProperty("state").GetString());
        var importId = summary.RootElement.GetProperty("importId").GetInt64();
        var events = import.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _) && e.TryGetProperty("@mt", out _), e.ToString()));
        // Lines still queued when the verb ends reach the console: the outcome is logged just before it exits.
        Assert.Contains(events, e => e.TryGetProperty("ImportId", out var id) && id.GetInt64() == importId
            && e.GetProperty("@mt").GetString()!.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_FileRefusedWhole_Exits1()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");
        var file = Path.Combine(_dir, "garbage.csv");
        await File.WriteAllBytesAsync(file, [0, 1, 2, 3, 0, 255, 254]);

        var run = await Verb.RunAsync(connectionString, "import", file, "--week", "2021-07-19");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--week", "2021-07-20")]
    [InlineData("--week", "19.07.2021")]
    [InlineData("--publish")]
    public async Task Import_BadArguments_Exits2(params string[] args)
    {
        var file = Path.Combine(_dir, "week.csv");
        await File.WriteAllBytesAsync(file, new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());

        var run = await Verb.RunAsync("Host=127.0.0.1", ["import", file, .. args]);

        Assert.Equal(2, run.ExitCode);
    }

    [Theory]
    [InlineData("9999-12-27", "too far ahead")]
    [InlineData("0001-01-01", "before the registry's first week")]
    [InlineData("2019-12-30", "before the registry's first week")]
    public async Task Import_WeekOutsideTheBounds_Exits2WithTheRule(string week, string expected)
    {
        var file = Path.Combine(_dir, "week.csv");
        await File.WriteAllBytesAsync(file, new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes());

        // The week is refused before the database is asked anything: none is listening here.
        var run = await Verb.RunAsync("Host=127.0.0.1;Port=1", "import", file, "--week", week);

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WeekNeverLoaded_Exits1()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");

        var run = await Verb.RunAsync(connectionString, "publish", "--week", "2021-07-19");

        Assert.Equal(1, run.ExitCode);
    }
}

internal static class Verb
{
    /// <summary>Output is standard output then standard error; StandardOutput alone is what a pipe would get.</summary>
    public sealed record Result(int ExitCode, string Output, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(string? connectionString, params string[] args) => RunAsync(connectionString, new Dictionary<string, string>(), args);

    public static async Task<Result> RunAsync(string? connectionString, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Registry"] = connectionString ?? "";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.WorkingDirectory = AppContext.BaseDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout + await stderr, await stdout, await stderr);
    }
}
