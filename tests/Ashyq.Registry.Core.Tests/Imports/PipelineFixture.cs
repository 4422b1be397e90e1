using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Imports;

/// <summary>The real pipeline on a database of its own, with no scheduler: tests call the services directly.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public RegistryOptions Options { get; } = new();
    public ImportService Imports { get; private set; } = null!;
    public WeekPublisher Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestCluster.CreateDatabaseAsync("pipeline");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Publisher = new WeekPublisher(DataSource, options, TimeProvider.System);
        Imports = new ImportService(DataSource, Publisher, options, TimeProvider.System, NullLogger<ImportService>.Instance);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    public Task ResetAsync() => TestCluster.ResetAsync(ConnectionString);

    /// <summary>Stores the bytes as an upload and runs the import in-process.</summary>
    public async Task<ImportOutcome> ImportAsync(byte[] content, string week, string fileName = "export.csv", bool publish = false)
    {
        using var stream = new MemoryStream(content);
        return await Imports.StoreAndRunAsync(stream, fileName, DateOnly.Parse(week, System.Globalization.CultureInfo.InvariantCulture), "test", ImportSources.Upload, publish);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new() { Value = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<string?> StatusAsync(string week, string bin) =>
        (string?)await ScalarAsyncNullable("SELECT status FROM week_rows WHERE week_start = $1::date AND bin = $2", week, bin);

    public async Task<object?> ScalarAsyncNullable(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new() { Value = parameter });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
