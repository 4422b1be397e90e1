using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Ashyq.Registry.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ashyq.Registry.Testing;

/// <summary>
/// The PostgreSQL server the tests run against: the one named by ASHYQ_TEST_PG (test.sh starts one),
/// or else a throwaway cluster this process starts with scripts/pg.sh and stops when it exits.
/// Every test class gets a database of its own, a copy of one template the real migration runner migrated
/// once per test run.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    // An arbitrary constant that identifies "making the migrated template" among advisory locks.
    private const long TemplateLockKey = 0x41_53_48_59_51_54_50_4C; // "ASHYQTPL"
    private const string TemplatePrefix = "ashyq_template_";
    private static readonly string TemplateName = TemplatePrefix + TemplateFingerprint();
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ServerConnectionString => Server.Value;

    /// <summary>Creates an empty database and returns its connection string; no migrations applied.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string prefix)
    {
        var name = NewDatabaseName(prefix);
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionStringOf(name);
    }

    /// <summary>
    /// Creates a database with every migration applied: a copy of the template this test run migrated once.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = NewDatabaseName(prefix);
        for (var attempt = 1; ; attempt++)
        {
            var template = await MigratedTemplateAsync();
            try
            {
                await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
                return ConnectionStringOf(name);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName && attempt < 3)
            {
                // A test process on other migrations, sharing this server, dropped it as stale: it is made again.
                Interlocked.CompareExchange(ref _template, null, template);
            }
        }
    }

    /// <summary>
    /// The name of the migrated template, made by the real migration runner the first time a process asks.
    /// Its name holds a hash of the migrations and of the job store's schema, so a template made from other
    /// migrations is never copied; it is made under a server-wide advisory lock and under another name, then
    /// renamed, so that test processes sharing one server never copy each other's half-made template.
    /// </summary>
    private static async Task<string> MigratedTemplateAsync()
    {
        if (Volatile.Read(ref _template) is { } ready)
            return ready;
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is { } made)
                return made;
            await using var connection = new NpgsqlConnection(ServerConnectionString);
            await connection.OpenAsync();
            // Advisory locks are per database: every process takes this one in the server's maintenance database.
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({TemplateLockKey})");
            try
            {
                var templates = new List<string>();
                await using (var list = new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{TemplatePrefix}%'", connection))
                await using (var reader = await list.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                        templates.Add(reader.GetString(0));
                }
                if (!templates.Contains(TemplateName))
                {
                    // Under the lock nobody else is making one: a database of this name is a crashed run's leftover.
                    var building = TemplateName + "_building";
                    await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
                    await ExecuteAsync(connection, $"CREATE DATABASE \"{building}\"");
                    var buildingConnection = ConnectionStringOf(building);
                    // Disposing the data source closes the runner's connections; no other pool holds one.
                    await using (var dataSource = NpgsqlDataSource.Create(buildingConnection))
                        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
                    await using (var pooled = new NpgsqlConnection(buildingConnection))
                        NpgsqlConnection.ClearPool(pooled);
                    // PostgreSQL copies a template only while no session is connected to it: from now on none can.
                    await ExecuteAsync(connection, $"ALTER DATABASE \"{building}\" WITH ALLOW_CONNECTIONS false");
                    await ExecuteAsync(connection, $"ALTER DATABASE \"{building}\" RENAME TO \"{TemplateName}\"");
                }
                // Templates of other migrations are stale; one being copied right now is dropped by a later run.
                foreach (var stale in templates.Where(t => t != TemplateName))
                {
                    try
                    {
                        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{stale}\"");
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
                    {
                    }
                }
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({TemplateLockKey})");
            }
            Volatile.Write(ref _template, TemplateName);
            return TemplateName;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static string TemplateFingerprint()
    {
        var text = new StringBuilder();
        foreach (var migration in MigrationRunner.All)
            text.Append(migration.Version).Append(':').Append(migration.Sha256).Append('\n');
        // The job store's schema comes from its package's installer, which a package update may change.
        text.Append(typeof(Hangfire.PostgreSql.PostgreSqlObjectsInstaller).Assembly.GetName().Version);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string NewDatabaseName(string prefix) =>
        $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();

    private static string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
                Run("""source scripts/pg.sh && PG_MAX_CONNECTIONS=1000 pg_cluster_start "$1" "$2" """, data, port.ToString());
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
