using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// The advisory lock every change to the set of weeks takes, for the rest of its transaction: loading,
/// publishing, withdrawing and re-mapping aliases take it first, so none of them interleaves with another
/// on the rule's view of the published weeks.
/// </summary>
public static class WeekLock
{
    public const long Key = 0x41_53_48_59_51_57_4B_53; // "ASHYQWKS"

    /// <summary>The statement that takes the lock, for a script of several statements.</summary>
    public static readonly string TakeSql = $"SELECT pg_advisory_xact_lock({Key})";

    public static async Task TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(TakeSql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
