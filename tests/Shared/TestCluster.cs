using System.Diagnostics;
using Ashyq.Registry.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ashyq.Registry.Testing;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by ASHYQ_TEST_PG (test.sh starts one),
/// or else a throwaway cluster this process starts with scripts/pg.sh and stops when it exits.
/// Every test class gets a database of its own, migrated by the real migration runner.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ServerConnectionString => Server.Value;

    /// <summary>Creates an empty database and returns its connection string; no migrations applied.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Creates a database with every migration applied.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await CreateEmptyDatabaseAsync(prefix);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return connectionString;
    }

    /// <summary>Empties the data tables between tests, keeping reference data and the schema.</summary>
    public static async Task ResetAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The week lock first: an import a previous test left running finishes before its tables are emptied.
        await using var command = new NpgsqlCommand($"""
            {Ashyq.Registry.Core.Weeks.WeekLock.TakeSql};
            TRUNCATE business_reviews, business_replies, week_counts, week_rows, business_weeks, business_public_ids, weeks, businesses, import_messages, import_files, imports,
                     followers, follows, follow_mailings, follow_mail_sent, follow_mail_failures,
                     audit_log, staff_user_roles, staff_user_claims, staff_user_logins, staff_user_tokens, staff_users
                     RESTART IDENTITY CASCADE;
            DELETE FROM category_aliases WHERE NOT is_builtin;
            DO $do$
            DECLARE part text;
            BEGIN
                FOR part IN SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'week_rows'::regclass LOOP
                    EXECUTE 'DROP TABLE ' || part;
                END LOOP;
                -- Replacements' tables of rows, which wait beside a published week unattached.
                FOR part IN SELECT c.oid::regclass::text FROM pg_class c
                            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname ~ '^week_rows_[0-9]{8}_[0-9]+$' LOOP
                    EXECUTE 'DROP TABLE ' || part;
                END LOOP;
                -- The job store's jobs, queues, recurring jobs and locks; its version and the servers running stay.
                EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('hangfire.%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
                         FROM pg_tables WHERE schemaname = 'hangfire' AND tablename NOT IN ('schema', 'server'));
            END
            $do$;
            """, connection);
        // The site's job server keeps polling its tables meanwhile; when the server picks this reset as the
        // victim of a deadlock between the two, nothing was emptied and it is simply run again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static string StartOrFind()
    {
        var configured = Environment.GetEnvironmentVariable("ASHYQ_TEST_PG");
        if (!string.IsNullOrWhiteSpace(configured))
            return configured;

        var dir = Path.Combine(RepositoryRoot, ".test-data", $"cluster-{Environment.ProcessId}");
        var data = Path.Combine(dir, "data");
        // A free port is only free when asked: another process may take it before the server binds it.
        // Starting again on another port is safe (the data folder is made once), so a taken port costs a retry.
        int port;
        for (var attempt = 1; ; attempt++)
        {
            port = FreePort();
            try
            {
                // As test.sh starts its cluster: every test class's site runs a job server on a database of its own.
                Run("""source scripts/pg.sh && PG_MAX_CONNECTIONS=1000 pg_cluster_start "$1" "$2" """, data, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Drop, not only stop: as root the data may live outside the checkout (scripts/pg.sh).
            Run("""source scripts/pg.sh && pg_cluster_drop "$1" """, data);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return $"Host=127.0.0.1;Port={port};Username=ashyq;Database=postgres;Pooling=true;Maximum Pool Size=40;Connection Idle Lifetime=10;Connection Pruning Interval=2";
    }

    private static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", ["-c", script, "bash", .. arguments])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Could not start the test PostgreSQL cluster: {error}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ashyq.Registry.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Ashyq.Registry.sln).");
    }
}
