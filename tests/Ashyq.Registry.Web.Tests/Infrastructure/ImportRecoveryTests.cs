using System.Diagnostics;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node of the site killed in the middle of an import: another node finishes it, once.</summary>
public sealed class ImportRecoveryTests
{
    [Fact]
    public async Task NodeKilledDuringImport_JobIsRecoveredByAnotherNode_WeekLoadedOnce()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("recovery");
        const int rows = 400_000; // about two seconds of loading: long enough to be caught in the middle
        var builder = new ExportBuilder();
        for (var i = 1; i <= rows; i++)
            builder.Row(ExportBuilder.BinFor(i), i % 10 == 0 ? "аутсайдер" : "участник", name: $"Объект {i}");

        long importId;
        using (var client = ClientHost(connectionString))
        {
            using var stream = new MemoryStream(builder.ToBytes());
            importId = (await client.Services.GetRequiredService<ImportService>()
                .StoreAsync(stream, "national.csv", new DateOnly(2021, 7, 19), "test", ImportSources.Upload)).Id;
            await client.Services.GetRequiredService<ImportQueue>().EnqueueAsync(importId);
        }

        await using var db = NpgsqlDataSource.Create(connectionString);
        using (var first = StartNode(connectionString))
        {
            try
            {
                await WaitUntilAsync(db, $"SELECT state = 'running' AND rows_read > 0 FROM imports WHERE id = {importId}", TimeSpan.FromSeconds(60), first);
            }
            finally
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
        }

        Assert.Equal("running", await ScalarAsync<string>(db, $"SELECT state FROM imports WHERE id = {importId}"));
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM week_rows"));
        Assert.Equal(0L, await ScalarAsync<long>(db, "SELECT count(*) FROM weeks"));

        using var second = StartNode(connectionString);
        try
        {
            await WaitUntilAsync(db, $"SELECT state = 'loaded' FROM imports WHERE id = {importId}", TimeSpan.FromSeconds(120), second);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
        }
        Assert.Equal((long)rows, await ScalarAsync<long>(db, "SELECT count(*) FROM week_rows"));
        Assert.Equal(2, await ScalarAsync<int>(db, $"SELECT attempts FROM imports WHERE id = {importId}"));
        Assert.Equal(1L, await ScalarAsync<long>(db, "SELECT count(*) FROM audit_log WHERE action = 'import.load'"));
    }

    /// <summary>Services of the site without a running scheduler: the test only stores and enqueues.</summary>
    private static IHost ClientHost(string connectionString) => PipelineHost.Build(connectionString, runServer: false);

    private static Process StartNode(string connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.WorkingDirectory = AppContext.BaseDirectory;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(NpgsqlDataSource db, string condition, TimeSpan limit, Process node)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await ScalarAsync<bool>(db, condition))
        {
            if (node.HasExited)
                throw new InvalidOperationException($"The node exited with {node.ExitCode} before: {condition}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still not true after {limit}: {condition}");
            await Task.Delay(20);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
