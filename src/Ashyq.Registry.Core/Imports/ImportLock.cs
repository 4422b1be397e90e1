using Npgsql;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// The session-level advisory lock on one import, held by whoever loads it: two nodes never load one
/// import at once, and the sweep leaves an import alone while anyone holds it.
/// </summary>
public static class ImportLock
{
    public const int ClassId = 0x41534849; // "ASHI"

    /// <summary>Takes the import's lock on the connection's session if no one holds it; false when someone does.</summary>
    public static async Task<bool> TryTakeAsync(NpgsqlConnection connection, long importId, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        command.Parameters.Add(new() { Value = ClassId });
        command.Parameters.Add(new() { Value = (int)importId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, long importId, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
        command.Parameters.Add(new() { Value = ClassId });
        command.Parameters.Add(new() { Value = (int)importId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
