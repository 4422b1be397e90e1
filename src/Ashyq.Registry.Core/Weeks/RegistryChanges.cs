using System.Globalization;
using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// The notification that a week's public rows changed. Sent inside the transaction that changes them,
/// it reaches every node when that transaction commits, and each node drops its cached public pages.
/// </summary>
public static class RegistryChanges
{
    public const string Channel = "ashyq_weeks_changed";

    /// <summary>The statement a listening connection runs once.</summary>
    public static readonly string ListenSql = $"LISTEN {Channel}";

    /// <summary>Tells every node that the week changed, when the transaction (if any) commits.</summary>
    public static async Task NotifyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, DateOnly week, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction);
        command.Parameters.Add(new() { Value = Channel });
        command.Parameters.Add(new() { Value = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
