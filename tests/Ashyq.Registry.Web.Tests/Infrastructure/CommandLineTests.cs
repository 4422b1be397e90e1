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

internal static class Verb
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string? connectionString, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Registry"] = connectionString ?? "";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.WorkingDirectory = AppContext.BaseDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
