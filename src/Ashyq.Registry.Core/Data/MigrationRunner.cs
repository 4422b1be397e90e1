using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ashyq.Registry.Core.Data;

/// <summary>
/// Applies the versioned SQL files embedded in this assembly, in order, each in its own transaction,
/// while holding a session-level advisory lock, so that any number of processes may migrate at once
/// and the schema is still applied exactly once. The job store's schema is installed under the same lock.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // An arbitrary constant that identifies "the registry's schema migration" among advisory locks.
    private const long LockKey = 0x41_53_48_59_51_4D_49_47; // "ASHYQMIG"

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    /// <summary>What <see cref="PendingAsync"/> lists, after the migration files, when the job store's schema is missing.</summary>
    public const string JobStoreSchemaPending = "the job store's schema";

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     integer PRIMARY KEY,
                    name        text NOT NULL,
                    sha256      char(64) NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = new Dictionary<int, string>();
            await using (var command = new NpgsqlCommand("SELECT version, sha256 FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    applied[reader.GetInt32(0)] = reader.GetString(1);
            }

            var newlyApplied = new List<string>();
            foreach (var migration in All)
            {
                if (applied.TryGetValue(migration.Version, out var hash))
                {
                    if (hash != migration.Sha256)
                        throw new InvalidOperationException(
                            $"Migration {migration.Name} was changed after it was applied. Add a new migration instead.");
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
                    await command.ExecuteNonQueryAsync(cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)", connection, transaction))
                {
                    record.Parameters.Add(new() { Value = migration.Version });
                    record.Parameters.Add(new() { Value = migration.Name });
                    record.Parameters.Add(new() { Value = migration.Sha256 });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Migration}", migration.Name);
                newlyApplied.Add(migration.Name);
            }

            // The job store's own schema, by the library's own installer (which skips what is already
            // there), under the same lock: nodes never race to create it at start-up.
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, Jobs.Extensions.SchemaName);
            return newlyApplied;
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>The names of embedded migrations that the database has not applied yet.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(array_agg(version), '{}') FROM schema_migrations", connection);
        int[] applied;
        try
        {
            applied = (int[])(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            applied = [];
        }
        var pending = All.Where(m => !applied.Contains(m.Version)).Select(m => m.Name).ToList();
        await using var jobStore = new NpgsqlCommand($"SELECT to_regclass('{Jobs.Extensions.SchemaName}.job') IS NOT NULL", connection);
        if (!(bool)(await jobStore.ExecuteScalarAsync(cancellationToken))!)
            pending.Add(JobStoreSchemaPending);
        return pending;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, name, sql, hash));
        }
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        if (ordered.Select(m => m.Version).Distinct().Count() != ordered.Count)
            throw new InvalidOperationException("Two migrations share a version number.");
        return ordered;
    }
}

public sealed record Migration(int Version, string Name, string Sql, string Sha256);
