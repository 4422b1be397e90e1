using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Jobs;

public sealed class ClusteredImportTests
{
    [Fact]
    public async Task TwoSchedulersOnOneDatabase_RunEachImportExactlyOnce()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("cluster");
        using var first = await StartNodeAsync(connectionString);
        using var second = await StartNodeAsync(connectionString);
        var nodes = new[] { first, second };

        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            var week = new DateOnly(2021, 6, 7).AddDays(7 * i);
            var file = new ExportBuilder().Row(ExportBuilder.BinFor(i + 1), "лидер").Row(ExportBuilder.BinFor(100 + i), "участник").ToBytes();
            using var stream = new MemoryStream(file);
            var stored = await nodes[i % 2].Services.GetRequiredService<ImportService>()
                .StoreAsync(stream, $"week-{i}.csv", week, "test", ImportSources.Upload);
            ids.Add(stored.Id);
            // Both nodes are asked to run every import: the job's key makes the second request a no-op.
            await first.Services.GetRequiredService<ImportQueue>().EnqueueAsync(stored.Id);
            await second.Services.GetRequiredService<ImportQueue>().EnqueueAsync(stored.Id);
        }

        await using var db = NpgsqlDataSource.Create(connectionString);
        await WaitUntilAsync(db, "SELECT count(*) = 0 FROM imports WHERE state IN ('queued', 'running')", TimeSpan.FromSeconds(90));

        await using var command = db.CreateCommand("""
            SELECT i.id, i.state, i.attempts,
                   (SELECT count(*) FROM audit_log a WHERE a.action = 'import.load' AND a.subject = 'import ' || i.id)
            FROM imports i ORDER BY i.id
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            Assert.Equal("loaded", reader.GetString(1));
            Assert.Equal(1, reader.GetInt32(2));
            Assert.Equal(1L, reader.GetInt64(3));
        }
        Assert.Equal(ids.Count, rows);

        foreach (var node in nodes)
            await node.StopAsync();
    }

    internal static async Task<IHost> StartNodeAsync(string connectionString)
    {
        var host = PipelineHost.Build(connectionString, runServer: true);
        await host.StartAsync();
        return host;
    }

    internal static async Task WaitUntilAsync(NpgsqlDataSource db, string condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            await using var command = db.CreateCommand(condition);
            if ((bool)(await command.ExecuteScalarAsync())!)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still not true after {limit}: {condition}");
            await Task.Delay(250);
        }
    }
}
