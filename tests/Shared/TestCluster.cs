using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Ashyq.Registry.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using Respawn.Graph;

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

    // What every test's reset keeps: the migration history, the reference data the migrations seed (categories,
    // districts, the staff roles; the built-in category aliases are kept by a statement of their own), the
    // data-protection keys a running test site signs its cookies with, and the job store's schema version and
    // the job servers that are running.
    private static readonly RespawnerOptions ResetOptions = new()
    {
        DbAdapter = DbAdapter.Postgres,
        SchemasToInclude = ["public", Ashyq.Registry.Core.Jobs.Extensions.SchemaName],
        TablesToIgnore =
        [
            new Table("public", "schema_migrations"),
            new Table("public", "categories"),
            new Table("public", "districts"),
            new Table("public", "category_aliases"),
            new Table("public", "staff_roles"),
            new Table("public", "data_protection_keys"),
            new Table(Ashyq.Registry.Core.Jobs.Extensions.SchemaName, "schema"),
            new Table(Ashyq.Registry.Core.Jobs.Extensions.SchemaName, "server"),
        ],
        // Respawn's TRUNCATE leaves sequences where they were; reseeding restarts them, as RESTART IDENTITY did,
        // so that ids start at 1 again.
        WithReseed = true,
    };

    private static readonly ConcurrentDictionary<string, (string Shape, Respawner Respawner)> Respawners = new();

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

    /// <summary>
    /// Empties every table of the registry and of the job store between tests, whatever tables a migration
    /// added, keeping reference data and the schema; identities start at 1 again.
    /// </summary>
    public static async Task ResetAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The site's job server keeps polling its tables meanwhile; when the server picks this reset as the
        // victim of a deadlock between the two, nothing was emptied and it is simply run again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ResetOnceAsync(connection, connectionString);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static async Task ResetOnceAsync(NpgsqlConnection connection, string connectionString)
    {
        // Respawn's own reset would open a transaction of its own; its statements run in this one instead, so
        // that they run behind the week lock and with the drops, as one.
        await using var transaction = await connection.BeginTransactionAsync();
        // The week lock first: an import a previous test left running finishes before its tables are emptied.
        await ExecuteAsync(connection, $"""
            {Ashyq.Registry.Core.Weeks.WeekLock.TakeSql};
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
            END
            $do$
            """);
        var respawner = await RespawnerForAsync(connection, connectionString);
        await ExecuteAsync(connection, respawner.DeleteSql!);
        await ExecuteAsync(connection, respawner.ReseedSql!);
        // Respawn empties tables whole: the aliases staff added go, the built-in ones a migration made stay.
        await ExecuteAsync(connection, "DELETE FROM category_aliases WHERE NOT is_builtin");
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Respawn reads the tables and their foreign keys once per database and again whenever they change (a test
    /// that adds a table), which a catalogue query far cheaper than Respawn's own tells.
    /// </summary>
    private static async Task<Respawner> RespawnerForAsync(NpgsqlConnection connection, string connectionString)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT string_agg(oid::text, ',' ORDER BY oid) FROM (
                SELECT oid FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace IN ('public'::regnamespace, '{Ashyq.Registry.Core.Jobs.Extensions.SchemaName}'::regnamespace)
                UNION ALL
                SELECT oid FROM pg_constraint WHERE contype = 'f') AS shape
            """, connection);
        var shape = (string)(await command.ExecuteScalarAsync())!;
        if (Respawners.TryGetValue(connectionString, out var known) && known.Shape == shape)
            return known.Respawner;
        var respawner = await Respawner.CreateAsync(connection, ResetOptions);
        Respawners[connectionString] = (shape, respawner);
        return respawner;
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
