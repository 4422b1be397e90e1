using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Data;

public sealed class SchemaDriftTests
{
    [Fact]
    public async Task Model_MatchesMigratedSchema()
    {
        var connectionString = await MigratedByTheRunnerAsync();
        await using var context = CreateContext(connectionString, extraColumn: false);

        var differences = await SchemaComparer.CompareAsync(context.Model, connectionString);

        Assert.Empty(differences);
    }

    [Fact]
    public async Task Model_WithColumnMissingFromMigrations_IsReported()
    {
        var connectionString = await MigratedByTheRunnerAsync();
        await using var context = CreateContext(connectionString, extraColumn: true);

        var differences = await SchemaComparer.CompareAsync(context.Model, connectionString);

        Assert.Contains(differences, d => d.Contains("businesses.model_only_column", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Model_WithIdentityColumnInSnakeCase_IsReported()
    {
        // The staff tables keep ASP.NET Identity's own column names: the snake_case the rest of the
        // model takes by convention would look for columns the schema does not have.
        var connectionString = await MigratedByTheRunnerAsync();
        var options = new DbContextOptionsBuilder<RegistryDbContext>().UseNpgsql(connectionString)
            .ReplaceService<IModelCustomizer, SnakeCaseIdentityColumnCustomizer>();
        await using var context = new RegistryDbContext(options.Options);

        var differences = await SchemaComparer.CompareAsync(context.Model, connectionString);

        Assert.Contains("staff_users.normalized_user_name is in the model but not in the schema", differences);
        Assert.Contains("staff_users.NormalizedUserName is in the schema but not in the model", differences);
    }

    // The schema the migration runner makes on an empty database, not a copy of the tests' template.
    private static async Task<string> MigratedByTheRunnerAsync()
    {
        var connectionString = await TestCluster.CreateEmptyDatabaseAsync("drift");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return connectionString;
    }

    private static RegistryDbContext CreateContext(string connectionString, bool extraColumn)
    {
        var options = new DbContextOptionsBuilder<RegistryDbContext>().UseNpgsql(connectionString);
        if (extraColumn)
            options.ReplaceService<IModelCustomizer, ExtraColumnCustomizer>();
        return new RegistryDbContext(options.Options);
    }

    private sealed class ExtraColumnCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<Business>().Property<string>("ModelOnly").HasColumnName("model_only_column");
        }
    }

    private sealed class SnakeCaseIdentityColumnCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<StaffUser>().Property(x => x.NormalizedUserName).HasColumnName("normalized_user_name");
        }
    }
}

/// <summary>Lists every way the EF model and the migrated schema disagree on a mapped table.</summary>
internal static class SchemaComparer
{
    public static async Task<List<string>> CompareAsync(IModel model, string connectionString)
    {
        var actual = new Dictionary<(string Table, string Column), (string Type, bool Nullable)>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                actual[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.GetBoolean(3));
        }

        var differences = new List<string>();
        var mappedTables = new HashSet<string>();
        var expectedColumns = new HashSet<(string, string)>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null)
                continue;
            mappedTables.Add(table);
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                expectedColumns.Add((table, column));
                if (!actual.TryGetValue((table, column), out var found))
                {
                    differences.Add($"{table}.{column} is in the model but not in the schema");
                    continue;
                }
                var type = property.GetColumnType(store);
                if (!string.Equals(type, found.Type, StringComparison.Ordinal))
                    differences.Add($"{table}.{column}: model type {type}, schema type {found.Type}");
                if (property.IsColumnNullable(store) != found.Nullable)
                    differences.Add($"{table}.{column}: model nullable {property.IsColumnNullable(store)}, schema nullable {found.Nullable}");
            }
        }
        foreach (var (table, column) in actual.Keys.Where(k => mappedTables.Contains(k.Table)))
        {
            if (!expectedColumns.Contains((table, column)))
                differences.Add($"{table}.{column} is in the schema but not in the model");
        }
        return differences;
    }
}
