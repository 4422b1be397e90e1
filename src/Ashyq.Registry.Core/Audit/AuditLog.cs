using Npgsql;

namespace Ashyq.Registry.Core.Audit;

/// <summary>Appends to the audit log, inside the caller's transaction so the entry stands or falls with the change.</summary>
public static class AuditLog
{
    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string actor, string action,
        string? subject, string? details = null, string? ip = null, CancellationToken cancellationToken = default)
    {
        if (!AuditActions.All.Contains(action))
            throw new ArgumentOutOfRangeException(nameof(action), action, "The audit action is not among AuditActions.All.");
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (actor, action, subject, details, ip) VALUES ($1, $2, $3, $4, $5)", connection, transaction);
        command.Parameters.Add(new() { Value = actor });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = (object?)subject ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)details ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)ip ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
