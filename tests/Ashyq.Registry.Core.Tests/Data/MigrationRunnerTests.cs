using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Data;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task Migrate_TwiceInParallel_AppliesEachMigrationOnce()
    {
        var connectionString = await TestCluster.CreateEmptyDatabaseAsync("migrate");
        await using var first = NpgsqlDataSource.Create(connectionString);
        await using var second = NpgsqlDataSource.Create(connectionString);

        var results = await Task.WhenAll(
            new MigrationRunner(first, NullLogger<MigrationRunner>.Instance).MigrateAsync(),
            new MigrationRunner(second, NullLogger<MigrationRunner>.Instance).MigrateAsync());

        Assert.Equal(MigrationRunner.All.Count, results.Sum(r => r.Count));
        await using var command = first.CreateCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(MigrationRunner.All.Count, reader.GetInt64(0));
        Assert.Equal(MigrationRunner.All.Count, reader.GetInt64(1));
    }

    [Fact]
    public async Task Migrate_OnMigratedDatabase_AppliesNothing()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("migrate");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

        var applied = await runner.MigrateAsync();

        Assert.Empty(applied);
        Assert.Empty(await runner.PendingAsync());
    }

    [Fact]
    public async Task Pending_OnEmptyDatabase_ListsEveryMigration()
    {
        var connectionString = await TestCluster.CreateEmptyDatabaseAsync("migrate");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var pending = await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).PendingAsync();

        Assert.Equal(MigrationRunner.All.Select(m => m.Name).Append(MigrationRunner.JobStoreSchemaPending), pending);
    }
}
