using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop and start again; the shared
/// test server must never be stopped under the other tests.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ashyq-cluster-{Guid.NewGuid():N}");
    private readonly int _port = FreePort();

    public string DataDir => Path.Combine(_dir, "data");

    public string ServerConnectionString => $"Host=127.0.0.1;Port={_port};Username=ashyq;Database=postgres;Timeout=5";

    public Task StartAsync() => RunAsync($"source scripts/pg.sh && pg_cluster_start '{DataDir}' {_port}");

    public Task StopAsync() => RunAsync($"source scripts/pg.sh && pg_cluster_stop '{DataDir}'");

    /// <summary>Creates a database on this cluster with every migration applied.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = TestCluster.RepositoryRoot,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{script}' failed: {await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
