using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// The first step of an import: the upload spooled, compressed, and stored with its import row and audit
/// entry in one transaction, and the way back to the bytes exactly as uploaded.
/// </summary>
internal sealed class ImportStore(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, TimeProvider clock, ILogger logger)
{
    /// <summary>
    /// Stores the file and its SHA-256 before anything else is done with it. The same bytes for the
    /// same week, already loaded or on their way, are recorded as a duplicate and not loaded again.
    /// </summary>
    public async Task<StoredImport> StoreAsync(
        Stream content, string fileName, DateOnly weekStart, string uploadedBy, string source,
        bool publishWhenLoaded = false, string? ip = null, CancellationToken cancellationToken = default)
    {
        var today = WeekDates.Today(clock);
        var check = WeekDates.Check(weekStart, today, options.Value.MaxWeeksAhead);
        if (check != WeekCheck.Valid)
            throw new ArgumentException(WeekDates.Describe(check, weekStart, today, options.Value.MaxWeeksAhead), nameof(weekStart));

        var limit = options.Value.MaxUploadBytes;
        var started = Stopwatch.StartNew();
        var spool = Path.Combine(options.Value.WorkDirectory(), $"upload-{Guid.NewGuid():N}");
        try
        {
            string sha256;
            long size;
            // The spool holds the upload gzip-compressed: that is how it is stored, and it is a fifth of the size.
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
                (sha256, size) = await BlockGzipWriter.CopyAsync(content, file, limit, cancellationToken);

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two uploads of the same bytes at once must not both pass the duplicate check.
            await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
            {
                serialize.Parameters.Add(new() { Value = sha256 + weekStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
                await serialize.ExecuteNonQueryAsync(cancellationToken);
            }

            long? original;
            await using (var find = new NpgsqlCommand($"""
                SELECT id FROM imports
                WHERE sha256 = $1 AND week_start = $2 AND state IN ('{ImportStates.Queued}', '{ImportStates.Running}', '{ImportStates.Loaded}')
                ORDER BY id LIMIT 1
                """, connection, transaction))
            {
                find.Parameters.Add(new() { Value = sha256 });
                find.Parameters.Add(new() { Value = weekStart });
                original = (long?)await find.ExecuteScalarAsync(cancellationToken);
            }

            long id;
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO imports (week_start, file_name, size_bytes, sha256, source, uploaded_by, uploaded_at, state,
                                     publish_when_loaded, duplicate_of, finished_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10 IS NULL THEN NULL ELSE $7 END)
                RETURNING id
                """, connection, transaction))
            {
                insert.Parameters.Add(new() { Value = weekStart });
                insert.Parameters.Add(new() { Value = SafeFileName(fileName) });
                insert.Parameters.Add(new() { Value = size });
                insert.Parameters.Add(new() { Value = sha256 });
                insert.Parameters.Add(new() { Value = source });
                insert.Parameters.Add(new() { Value = uploadedBy });
                insert.Parameters.Add(new() { Value = clock.GetUtcNow() });
                insert.Parameters.Add(new() { Value = original is null ? ImportStates.Queued : ImportStates.Duplicate });
                insert.Parameters.Add(new() { Value = publishWhenLoaded });
                insert.Parameters.Add(new() { Value = (object?)original ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
                id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            }

            // A duplicate's bytes are its original's; storing them twice would add nothing.
            if (original is null)
            {
                await using var file = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
                await using var store = new NpgsqlCommand(
                    "INSERT INTO import_files (import_id, content, content_encoding) VALUES ($1, $2, 'gzip')", connection, transaction);
                store.Parameters.Add(new() { Value = id });
                store.Parameters.Add(new() { Value = file, NpgsqlDbType = NpgsqlDbType.Bytea });
                await store.ExecuteNonQueryAsync(cancellationToken);
            }

            await AuditLog.WriteAsync(connection, transaction, uploadedBy, "import.upload", $"import {id}",
                $"{SafeFileName(fileName)}, week {weekStart:yyyy-MM-dd}, {size} bytes, sha256 {sha256}" +
                (original is null ? "" : $", same file as import {original}"), ip, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Import {ImportId}: stored {Bytes} bytes in {Seconds:0.00} s", id, size, started.Elapsed.TotalSeconds);
            return new StoredImport(id, original is not null, original);
        }
        finally
        {
            WorkFiles.TryDelete(spool);
        }
    }

    /// <summary>Writes the stored file back to a work file for the load to read; a file error when there is none.</summary>
    public async Task SpoolStoredFileAsync(long importId, string path, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        if (!await CopyStoredFileAsync(importId, target, cancellationToken))
            throw new ExportFileException("file_missing", $"Import {importId} has no stored file.", ExportMessageCodes.Values(null));
    }

    /// <summary>Writes the stored file, exactly as uploaded, to <paramref name="target"/>; false when there is none.</summary>
    public async Task<bool> CopyStoredFileAsync(long importId, Stream target, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT content_encoding, content FROM import_files WHERE import_id = $1", connection);
        command.Parameters.Add(new() { Value = importId });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return false;
        var encoding = reader.GetString(0);
        await using var stored = await reader.GetStreamAsync(1, cancellationToken);
        if (encoding == "gzip")
        {
            await using var plain = new GZipStream(stored, CompressionMode.Decompress);
            await plain.CopyToAsync(target, 1 << 16, cancellationToken);
        }
        else
        {
            await stored.CopyToAsync(target, 1 << 16, cancellationToken);
        }
        return true;
    }

    private static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "upload" : name.Length > 255 ? name[..255] : name;
    }
}
