using System.Data;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// The weekly export pipeline: store the file as uploaded, then (in a job, or in-process for the
/// command line) read it as a stream, validate every row, COPY the valid rows straight into the
/// week's rows and derive the rule and the counts, all in one transaction. Running an import again
/// is harmless: a finished import is left as it is, and a half-done one was rolled back whole.
/// </summary>
public sealed class ImportService(
    NpgsqlDataSource dataSource,
    WeekPublisher publisher,
    IOptions<RegistryOptions> options,
    TimeProvider clock,
    ILogger<ImportService> logger)
{
    /// <summary>How many messages an import keeps; beyond it they are counted, not listed.</summary>
    public const int MaxStoredMessages = 100_000;

    internal const int ImportLockClass = 0x41534849; // "ASHI"
    private const int ProgressEveryRows = 5_000;

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
        var spool = Path.Combine(WorkDirectory(), $"upload-{Guid.NewGuid():N}");
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
                serialize.Parameters.Add(new() { Value = sha256 + weekStart.ToString("yyyy-MM-dd") });
                await serialize.ExecuteNonQueryAsync(cancellationToken);
            }

            long? original;
            await using (var find = new NpgsqlCommand("""
                SELECT id FROM imports
                WHERE sha256 = $1 AND week_start = $2 AND state IN ('queued', 'running', 'loaded')
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
            TryDelete(spool);
        }
    }

    /// <summary>
    /// Loads a stored import. Safe to call again for the same import (a retry, a recovered job, a
    /// second node): a finished import is reported as it stands, and one already running elsewhere is left alone.
    /// </summary>
    public async Task<ImportOutcome> RunAsync(long importId, CancellationToken cancellationToken = default)
    {
        // Stored messages are codes with values and an English text, whoever runs the import: a job keeps
        // the culture of the request that queued it, and "19 990" in a Russian request's culture is not
        // the number the text promises. An async method's culture is its own; the caller's is untouched.
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await TryLockImportAsync(guard, importId, cancellationToken))
        {
            // Another process holds the import: a live node still loading it, or the connection of a
            // node that died mid-load and whose server session has not yet noticed. Either way the
            // caller must come back later rather than treat the import as done.
            var current = await GetOutcomeAsync(importId, cancellationToken);
            if (current.State is ImportStates.Queued or ImportStates.Running)
                throw new ImportBusyException(importId);
            return current;
        }
        try
        {
            var header = await ClaimAsync(importId, cancellationToken);
            if (header is null)
                return await GetOutcomeAsync(importId, cancellationToken);

            var work = Path.Combine(WorkDirectory(), $"import-{importId}-{Guid.NewGuid():N}");
            using var messages = new MessageSpool(WorkDirectory(), MaxStoredMessages);
            var counts = new LoadCounts();
            try
            {
                var spooling = Stopwatch.StartNew();
                await SpoolStoredFileAsync(importId, work, cancellationToken);
                logger.LogInformation("Import {ImportId}: read the stored file back in {Seconds:0.00} s", importId, spooling.Elapsed.TotalSeconds);
                await LoadAsync(header, work, messages, counts, cancellationToken);
                logger.LogInformation("Import {ImportId} loaded week {Week}: {Loaded} rows, {Rejected} rejected, {Warnings} warnings",
                    importId, header.WeekStart, counts.Loaded, counts.Rejected, counts.Warnings);
            }
            catch (ExportFileException e)
            {
                messages.Add(new ExportMessage(MessageSeverity.FileError, e.Code, e.Message, Value: e.JoinedArguments));
                await RecordFailureAsync(importId, e.Message, messages, counts, cancellationToken);
                logger.LogWarning("Import {ImportId} refused: {Reason}", importId, e.Message);
                return await GetOutcomeAsync(importId, cancellationToken);
            }
            catch (Exception e) when (!IsWorthRetrying(e))
            {
                var reason = $"The file could not be loaded: {e.Message}";
                messages.Add(new ExportMessage(MessageSeverity.FileError, "load_failed", reason));
                await RecordFailureAsync(importId, reason, messages, counts, CancellationToken.None);
                logger.LogError(e, "Import {ImportId} failed", importId);
                return await GetOutcomeAsync(importId, CancellationToken.None);
            }
            catch (Exception e)
            {
                await ExecuteAsync("UPDATE imports SET state = 'queued', error = $2 WHERE id = $1 AND state = 'running'",
                    CancellationToken.None, importId, $"Attempt failed and will be retried: {e.Message}");
                throw;
            }
            finally
            {
                TryDelete(work);
            }

            if (header.PublishWhenLoaded)
                await publisher.PublishAsync(header.WeekStart, header.UploadedBy, confirmEarlierDrafts: true, cancellationToken: cancellationToken);
            return await GetOutcomeAsync(importId, cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", guard);
            unlock.Parameters.Add(new() { Value = ImportLockClass });
            unlock.Parameters.Add(new() { Value = (int)importId });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Marks an import failed for good (the job's retries are spent, or the caller gives up).</summary>
    public Task MarkFailedAsync(long importId, string reason, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            UPDATE imports SET state = 'failed', error = $2, finished_at = now()
            WHERE id = $1 AND state IN ('queued', 'running')
            """, cancellationToken, importId, TextNormalizer.RemoveUnsafeCharacters(reason));

    /// <summary>Puts a failed import back in the queue, keeping its stored file; returns false if it had not failed.</summary>
    public async Task<bool> RequeueAsync(long importId, string actor, string? ip = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE imports SET state = 'queued', error = NULL, started_at = NULL, finished_at = NULL,
                               rows_read = 0, rows_loaded = 0, rows_rejected = 0, warnings = 0
            WHERE id = $1 AND state = 'failed'
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

    public async Task<ImportOutcome> GetOutcomeAsync(long importId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT i.week_start, i.state, i.rows_read, i.rows_loaded, i.rows_rejected, i.warnings, i.error, i.duplicate_of,
                   coalesce(w.status = 'published' AND w.import_id = i.id, false)
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

    private async Task LoadAsync(ImportHeader header, string path, MessageSpool messages, LoadCounts counts, CancellationToken cancellationToken)
    {
        var categories = await LoadCategoriesAsync(cancellationToken);
        using var file = ExportFile.Open(path, header.FileName, categories, ExportLimits.From(options.Value));
        foreach (var warning in file.FileWarnings.Concat(file.OptionalColumnWarnings))
            messages.Add(warning);
        if (file.TitlePeriodStart is { } titleStart && titleStart != header.WeekStart)
        {
            messages.Add(new ExportMessage(MessageSeverity.FileWarning, "title_week_mismatch",
                $"The title line names the period starting {titleStart:dd.MM.yyyy}, but the file was uploaded for the week of {header.WeekStart:dd.MM.yyyy}."));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PrepareWeekAsync(connection, transaction, header, cancellationToken);
        var partition = WeekPartitions.NewName(header.WeekStart, header.Id);
        // The partition is created in this transaction, so its rows can be written frozen: no one else
        // can see the table before the commit, and the index builds, the rule and the first readers
        // after publication need not visit every row again to mark it committed.
        await WeekDerivation.ExecuteAsync(connection, transaction, WeekPartitions.CreateSql(partition, header.WeekStart), cancellationToken);

        var phase = Stopwatch.StartNew();
        var tally = new WeekTally();
        using (var progress = new ProgressReporter(dataSource, header.Id))
        {
            await using var copy = await connection.BeginRawBinaryCopyAsync($"""
                COPY {partition} (week_start, bin, line_no, name, category_code, category_raw, district_code, address, joined_on,
                                  scans, flagged_visitors, file_status, status, reason, exclusion_source)
                FROM STDIN (FORMAT BINARY, FREEZE)
                """, cancellationToken);
            try
            {
                var rows = new CopyRowWriter(copy);
                // The file is read and validated on a second thread while this one sends the rows.
                using var reading = new ReadAhead<ExportRowResult>(file.ReadRows(), batchSize: 1024, batchesAhead: 8, cancellationToken);
                foreach (var result in reading.Items())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    counts.Read++;
                    foreach (var message in result.Messages)
                        messages.Add(message);
                    if (result.Row is not { } row)
                    {
                        counts.Rejected++;
                    }
                    else
                    {
                        var status = row.Status.ToCode();
                        WriteRow(rows, header.WeekStart, row, status);
                        tally.Add(row.CategoryCode, row.DistrictCode, status, row.FlaggedVisitors);
                        counts.Loaded++;
                    }
                    if (counts.Read % ProgressEveryRows == 0)
                        progress.Report(counts.Read);
                }
                rows.Complete();
            }
            catch
            {
                // A file error or a cancellation mid-stream: the COPY is abandoned, not completed half-way,
                // and the error that stopped it is the one reported.
                try
                {
                    await copy.CancelAsync();
                }
                catch (NpgsqlException)
                {
                }
                throw;
            }
        }

        var readAndCopy = phase.Elapsed;
        phase.Restart();
        var duplicatesRemoved = await IndexAndResolveDuplicatesAsync(connection, transaction, partition, messages, counts, cancellationToken);
        counts.Loaded -= duplicatesRemoved;
        counts.Warnings = messages.Warnings;

        if (file.DataRows == 0)
            throw new ExportFileException("no_data_rows", "The file has a header row but no data rows.");
        var limit = options.Value.MaxRowErrorPercent;
        var share = 100.0 * counts.Rejected / file.DataRows;
        if (share > limit)
        {
            throw new ExportFileException("too_many_errors",
                $"{counts.Rejected} of {file.DataRows} data rows ({share:0.#}%) have errors; a file with more than {limit:0.#}% is refused whole. The row errors are listed below.");
        }

        var indexes = phase.Elapsed;
        phase.Restart();
        var excludedByRule = await WeekDerivation.ApplyExclusionRuleToNewRowsAsync(
            connection, transaction, partition, header.WeekStart, options.Value.ExclusionWeeks, cancellationToken);
        var rule = phase.Elapsed;
        phase.Restart();
        // The counts gathered while the rows went in, brought up to date with the rule; when repeated BINs
        // were taken out, the rows are counted again in SQL instead (rare, and the tally would need to know which).
        if (duplicatesRemoved == 0)
        {
            foreach (var (category, district, excluded) in excludedByRule)
                tally.ExcludedByRule(category, district, excluded);
            await tally.WriteAsync(connection, transaction, header.WeekStart, cancellationToken);
        }
        else
        {
            await WeekDerivation.RecountAsync(connection, transaction, header.WeekStart, cancellationToken, partition);
        }
        var recount = phase.Elapsed;
        phase.Restart();
        await SaveMessagesAsync(connection, transaction, header.Id, messages, cancellationToken);
        var saveMessages = phase.Elapsed;
        phase.Restart();
        await using (var done = new NpgsqlCommand("""
            UPDATE imports SET state = 'loaded', finished_at = clock_timestamp(), error = NULL, format = $2,
                               rows_read = $3, rows_loaded = $4, rows_rejected = $5, warnings = $6
            WHERE id = $1
            """, connection, transaction))
        {
            done.Parameters.Add(new() { Value = header.Id });
            done.Parameters.Add(new() { Value = file.Format });
            done.Parameters.Add(new() { Value = counts.Read });
            done.Parameters.Add(new() { Value = counts.Loaded });
            done.Parameters.Add(new() { Value = counts.Rejected });
            done.Parameters.Add(new() { Value = counts.Warnings });
            await done.ExecuteNonQueryAsync(cancellationToken);
        }
        await AuditLog.WriteAsync(connection, transaction, header.UploadedBy, "import.load", $"import {header.Id}",
            $"week {header.WeekStart:yyyy-MM-dd}: {counts.Loaded} rows loaded, {counts.Rejected} rejected", cancellationToken: cancellationToken);

        // Last, so that the parent table is locked for the moment of the swap only: the week's earlier
        // rows (a draft or a withdrawn week, never a published one) give way to the new partition.
        await WeekPartitions.SwapInAsync(connection, transaction, partition, header.WeekStart, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Import {ImportId}: {Rows} rows read and copied in {ReadSeconds:0.00} s, indexes and duplicates {IndexSeconds:0.00} s, " +
            "rule {RuleSeconds:0.00} s, counts {CountSeconds:0.00} s, messages {MessageSeconds:0.00} s, swap and commit {CommitSeconds:0.00} s",
            header.Id, counts.Read, readAndCopy.TotalSeconds, indexes.TotalSeconds, rule.TotalSeconds, recount.TotalSeconds,
            saveMessages.TotalSeconds, phase.Elapsed.TotalSeconds);
    }

    /// <summary>Refuses a published week and records the week as a draft of this import.</summary>
    private static async Task PrepareWeekAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader header, CancellationToken cancellationToken)
    {
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            serialize.Parameters.Add(new() { Value = WeekPublisher.WeekLockKey });
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var status = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1 FOR UPDATE", connection, transaction))
        {
            status.Parameters.Add(new() { Value = header.WeekStart });
            if ((string?)await status.ExecuteScalarAsync(cancellationToken) == "published")
            {
                throw new ExportFileException("week_published",
                    $"The week of {header.WeekStart:dd.MM.yyyy} is published. Withdraw it first to load another file for it.");
            }
        }
        await WeekDerivation.ExecuteAsync(connection, transaction, """
            DELETE FROM weeks WHERE week_start = @week;
            INSERT INTO weeks (week_start, status, import_id, source_sha256, loaded_at)
            VALUES (@week, 'draft', @import, @sha, now());
            """, cancellationToken, ("week", header.WeekStart), ("import", header.Id), ("sha", header.Sha256));
    }

    private static void WriteRow(CopyRowWriter copy, DateOnly week, ExportRow row, string status)
    {
        copy.StartRow(15);
        copy.Date(week);
        copy.Text(row.Bin);
        copy.Integer(row.LineNo);
        copy.Text(row.Name);
        copy.Text(row.CategoryCode);
        copy.Text(row.CategoryRaw);
        copy.Text(row.DistrictCode);
        copy.Text(row.Address);
        copy.Date(row.JoinedOn);
        copy.Integer(row.Scans);
        copy.Integer(row.FlaggedVisitors);
        copy.Text(status);
        copy.Text(status);
        copy.Text(row.Reason);
        copy.Text(row.Status == BusinessStatus.Excluded ? "file" : null);
    }

    /// <summary>
    /// Builds the new partition's indexes, one sort each. The unique index on BIN is how a BIN listed
    /// twice is found: when it fails, the repeats are sorted out in SQL and it is built again. A repeat
    /// identical to its first line is dropped with a warning; a BIN listed with different values loses
    /// every one of its rows, each an error naming the other lines. Returns how many rows were taken out.
    /// </summary>
    private static async Task<int> IndexAndResolveDuplicatesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, MessageSpool messages, LoadCounts counts,
        CancellationToken cancellationToken)
    {
        var removed = 0;
        // Enough sort memory that a million rows' index is sorted in memory rather than in temporary files.
        await WeekDerivation.ExecuteAsync(connection, transaction, "SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
        await transaction.SaveAsync("unique_bins", cancellationToken);
        try
        {
            await WeekDerivation.ExecuteAsync(connection, transaction, WeekPartitions.UniqueIndexSql(partition), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("unique_bins", cancellationToken);
            await using (var groups = new NpgsqlCommand($"""
                SELECT bin, array_agg(line_no ORDER BY line_no),
                       count(DISTINCT (name, category_raw, district_code, address, joined_on, scans, flagged_visitors, file_status, reason)) = 1
                FROM {partition} GROUP BY bin HAVING count(*) > 1 ORDER BY min(line_no)
                """, connection, transaction))
            await using (var reader = await groups.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var bin = reader.GetString(0).Trim();
                    var lines = reader.GetFieldValue<int[]>(1);
                    if (reader.GetBoolean(2))
                    {
                        foreach (var line in lines.Skip(1))
                        {
                            messages.Add(new ExportMessage(MessageSeverity.RowWarning, "duplicate_bin_identical",
                                $"Repeats line {lines[0]} exactly; loaded once.", line, "bin", bin, bin));
                        }
                        removed += lines.Length - 1;
                        continue;
                    }
                    foreach (var line in lines)
                    {
                        var others = MessageText.Lines(lines, except: line);
                        messages.Add(new ExportMessage(MessageSeverity.RowError, "duplicate_bin",
                            $"The BIN is listed again with different values on line(s) {others}; none of these rows is loaded.", line, "bin", bin, bin));
                    }
                    counts.Rejected += lines.Length;
                    removed += lines.Length;
                }
            }
            await WeekDerivation.ExecuteAsync(connection, transaction, $"""
                DELETE FROM {partition} r
                USING (SELECT bin, min(line_no) AS first_line,
                              count(DISTINCT (name, category_raw, district_code, address, joined_on, scans, flagged_visitors, file_status, reason)) = 1 AS identical
                       FROM {partition} GROUP BY bin HAVING count(*) > 1) d
                WHERE r.bin = d.bin AND (NOT d.identical OR r.line_no <> d.first_line);
                {WeekPartitions.UniqueIndexSql(partition)}
                """, cancellationToken);
        }
        await transaction.ReleaseAsync("unique_bins", cancellationToken);
        await WeekDerivation.ExecuteAsync(connection, transaction, WeekPartitions.ListIndexSql(partition), cancellationToken);
        return removed;
    }

    private async Task RecordFailureAsync(long importId, string reason, MessageSpool messages, LoadCounts counts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM import_messages WHERE import_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new() { Value = importId });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await SaveMessagesAsync(connection, transaction, importId, messages, cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE imports SET state = 'failed', error = $2, finished_at = now(),
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

    private static async Task SaveMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long importId, MessageSpool messages, CancellationToken cancellationToken)
    {
        var all = messages.ReadAll();
        if (messages.Dropped > 0)
        {
            all = all.Append(new ExportMessage(MessageSeverity.FileWarning, "messages_truncated",
                $"{messages.Dropped} more messages are not listed; the first {MaxStoredMessages} are."));
        }
        await using var copy = await connection.BeginRawBinaryCopyAsync(
            "COPY import_messages (import_id, seq, severity, code, line_no, column_name, value, bin, message) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        var rows = new CopyRowWriter(copy);
        var seq = 0;
        foreach (var message in all)
        {
            rows.StartRow(9);
            rows.BigInteger(importId);
            rows.Integer(++seq);
            rows.Text(message.SeverityCode);
            rows.Text(message.Code);
            rows.Integer(message.LineNo);
            rows.Text(message.Column);
            rows.Text(message.Value); // already cut by the spool
            rows.Text(Truncate(message.Bin, 64));
            rows.Text(message.Message);
        }
        rows.Complete();
    }

    private async Task<ImportHeader?> ClaimAsync(long importId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE imports SET state = 'running', attempts = attempts + 1, started_at = now(), rows_read = 0
            WHERE id = $1 AND state IN ('queued', 'running')
            RETURNING week_start, file_name, sha256, uploaded_by, publish_when_loaded
            """);
        command.Parameters.Add(new() { Value = importId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new ImportHeader(importId, reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2),
            reader.GetString(3), reader.GetBoolean(4));
    }

    private async Task SpoolStoredFileAsync(long importId, string path, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        if (!await CopyStoredFileAsync(importId, target, cancellationToken))
            throw new ExportFileException("file_missing", $"Import {importId} has no stored file.");
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

    private async Task<CategoryMatcher> LoadCategoriesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT alias, category_code FROM category_aliases");
        var aliases = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            aliases.Add((reader.GetString(0), reader.GetString(1)));
        return new CategoryMatcher(aliases);
    }

    private static async Task<bool> TryLockImportAsync(NpgsqlConnection connection, long importId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        command.Parameters.Add(new() { Value = ImportLockClass });
        command.Parameters.Add(new() { Value = (int)importId });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new() { Value = parameter });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Database hiccups and full disks may pass; a bug or a broken file will not.</summary>
    private static bool IsWorthRetrying(Exception e) => e switch
    {
        OperationCanceledException => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        IOException => true,
        TimeoutException => true,
        _ => false,
    };

    private string WorkDirectory() => options.Value.WorkDirectory();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "upload" : name.Length > 255 ? name[..255] : name;
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

    private sealed record ImportHeader(long Id, DateOnly WeekStart, string FileName, string Sha256, string UploadedBy, bool PublishWhenLoaded);

    private sealed class LoadCounts
    {
        public int Read;
        public int Loaded;
        public int Rejected;
        public int Warnings;
    }

    /// <summary>
    /// Writes rows-read-so-far on a connection of its own, so a page can show progress: the first time
    /// at once, then at most once a second.
    /// </summary>
    private sealed class ProgressReporter(NpgsqlDataSource dataSource, long importId) : IDisposable
    {
        private readonly Stopwatch _since = new();

        public void Report(int rowsRead)
        {
            if (_since.IsRunning && _since.ElapsedMilliseconds < 1000)
                return;
            _since.Restart();
            using var command = dataSource.CreateCommand("UPDATE imports SET rows_read = $2 WHERE id = $1");
            command.Parameters.Add(new() { Value = importId });
            command.Parameters.Add(new() { Value = rowsRead });
            command.ExecuteNonQuery();
        }

        public void Dispose() => _since.Stop();
    }
}
