using System.Globalization;
using System.Text.Json;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// What the import row and its messages say: claiming an import, recording how it ended (loaded,
/// refused, failed, put back), storing its messages, and reading its outcome back.
/// </summary>
internal sealed class ImportRecords(NpgsqlDataSource dataSource)
{
    public async Task<ImportOutcome> GetOutcomeAsync(long importId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT i.week_start, i.state, i.rows_read, i.rows_loaded, i.rows_rejected, i.warnings, i.error, i.duplicate_of,
                   coalesce(w.status = '{WeekStatuses.Published}' AND w.import_id = i.id, false)
            FROM imports i LEFT JOIN weeks w ON w.week_start = i.week_start
            WHERE i.id = $1
            """, connection);
        command.Parameters.Add(new() { Value = importId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException($"There is no import {importId}.");
        var outcome = new ImportOutcome(importId, reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt32(2),
            reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetBoolean(8), []);
        await reader.DisposeAsync();

        await using var first = new NpgsqlCommand("""
            SELECT severity, code, message, line_no, column_name, value, bin FROM import_messages
            WHERE import_id = $1 ORDER BY (severity IN ('file_error', 'row_error')) DESC, seq LIMIT 20
            """, connection);
        first.Parameters.Add(new() { Value = importId });
        var messages = new List<ExportMessage>();
        await using var rows = await first.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            messages.Add(new ExportMessage(ParseSeverity(rows.GetString(0)), rows.GetString(1), rows.GetString(2),
                rows.IsDBNull(3) ? null : rows.GetInt32(3), rows.IsDBNull(4) ? null : rows.GetString(4),
                rows.IsDBNull(5) ? null : rows.GetString(5), rows.IsDBNull(6) ? null : rows.GetString(6)));
        }
        return outcome with { FirstMessages = messages };
    }

    public async Task<ImportHeader?> ClaimAsync(long importId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE imports SET state = '{ImportStates.Running}', attempts = attempts + 1, started_at = now(), rows_read = 0
            WHERE id = $1 AND state IN ('{ImportStates.Queued}', '{ImportStates.Running}')
            RETURNING week_start, file_name, sha256, uploaded_by, publish_when_loaded
            """);
        command.Parameters.Add(new() { Value = importId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new ImportHeader(importId, reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2),
            reader.GetString(3), reader.GetBoolean(4));
    }

    /// <summary>Marks an import failed for good (the job's retries are spent, or the caller gives up).</summary>
    public Task MarkFailedAsync(long importId, string reason, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"""
            UPDATE imports SET state = '{ImportStates.Failed}', error = $2, finished_at = now()
            WHERE id = $1 AND state IN ('{ImportStates.Queued}', '{ImportStates.Running}')
            """, cancellationToken, importId, TextNormalizer.RemoveUnsafeCharacters(reason));

    /// <summary>Puts a failed import back in the queue, keeping its stored file; returns false if it had not failed.</summary>
    public async Task<bool> RequeueAsync(long importId, string actor, string? ip = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand($"""
            UPDATE imports SET state = '{ImportStates.Queued}', error = NULL, started_at = NULL, finished_at = NULL,
                               rows_read = 0, rows_loaded = 0, rows_rejected = 0, warnings = 0
            WHERE id = $1 AND state = '{ImportStates.Failed}'
            """, connection, transaction);
        update.Parameters.Add(new() { Value = importId });
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            return false;
        await using (var clear = new NpgsqlCommand("DELETE FROM import_messages WHERE import_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = importId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await AuditLog.WriteAsync(connection, transaction, actor, "import.retry", $"import {importId}", ip: ip, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task RecordFailureAsync(long importId, string reason, MessageSpool messages, LoadCounts counts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM import_messages WHERE import_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = importId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await SaveMessagesAsync(connection, transaction, importId, messages, cancellationToken);
        await using (var update = new NpgsqlCommand($"""
            UPDATE imports SET state = '{ImportStates.Failed}', error = $2, finished_at = now(),
                               rows_read = $3, rows_loaded = 0, rows_rejected = $4, warnings = $5
            WHERE id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = importId });
            update.Parameters.Add(new() { Value = TextNormalizer.RemoveUnsafeCharacters(reason) });
            update.Parameters.Add(new() { Value = counts.Read });
            update.Parameters.Add(new() { Value = counts.Rejected });
            update.Parameters.Add(new() { Value = messages.Warnings });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task SaveMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long importId, MessageSpool messages, CancellationToken cancellationToken)
    {
        var all = messages.ReadAll();
        if (messages.Dropped > 0)
        {
            all = all.Append(new ExportMessage(MessageSeverity.FileWarning, "messages_truncated",
                $"{messages.Dropped} more messages are not listed; the first {ImportService.MaxStoredMessages} are.",
                Args: new Dictionary<string, string>
                {
                    ["count"] = messages.Dropped.ToString(CultureInfo.InvariantCulture),
                    ["shown"] = ImportService.MaxStoredMessages.ToString(CultureInfo.InvariantCulture),
                }));
        }
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            "COPY import_messages (import_id, seq, severity, code, line_no, column_name, value, bin, message, args) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        var rows = new CopyRowWriter(copy);
        var seq = 0;
        foreach (var message in all)
        {
            rows.StartRow(10);
            rows.BigInteger(importId);
            rows.Integer(++seq);
            rows.Text(message.SeverityCode);
            rows.Text(message.Code);
            rows.Integer(message.LineNo);
            rows.Text(message.Column);
            rows.Text(message.Value); // already cut by the spool
            rows.Text(Truncate(message.Bin, 64));
            rows.Text(message.Message);
            rows.Jsonb(message.Args is null ? null : JsonSerializer.SerializeToUtf8Bytes(message.Args));
        }
        rows.Complete();
    }

    /// <summary>An attempt that may pass on a second try puts a running import back as queued, saying why.</summary>
    public Task ReturnToQueueAsync(long importId, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE imports SET state = '{ImportStates.Queued}', error = $2 WHERE id = $1 AND state = '{ImportStates.Running}'",
            cancellationToken, importId, reason);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new() { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length] + "…";

    private static MessageSeverity ParseSeverity(string code) => code switch
    {
        "file_error" => MessageSeverity.FileError,
        "file_warning" => MessageSeverity.FileWarning,
        "row_error" => MessageSeverity.RowError,
        _ => MessageSeverity.RowWarning,
    };
}
