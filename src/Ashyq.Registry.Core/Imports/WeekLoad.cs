using System.Diagnostics;
using System.Globalization;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Loads a stored file into its week in one transaction: read and validate as a stream, COPY the valid
/// rows into a new partition, build its indexes (sorting out repeated BINs), check the error threshold,
/// apply the exclusion rule, write the counts and the messages, mark the import loaded, swap the partition in.
/// </summary>
internal sealed class WeekLoad(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, ILogger logger)
{
    private const int ProgressEveryRows = 5_000;


    public async Task LoadAsync(ImportHeader header, string path, MessageSpool messages, LoadCounts counts, CancellationToken cancellationToken)
    {
        var categories = await LoadCategoriesAsync(cancellationToken);
        using var file = ExportFile.Open(path, header.FileName, categories, ExportLimits.From(options.Value));
        foreach (var warning in file.FileWarnings.Concat(file.OptionalColumnWarnings))
            messages.Add(warning);
        if (file.TitlePeriodStart is { } titleStart && titleStart != header.WeekStart)
        {
            messages.Add(new ExportMessage(MessageSeverity.FileWarning, "title_week_mismatch",
                $"The title line names the period starting {titleStart:dd.MM.yyyy}, but the file was uploaded for the week of {header.WeekStart:dd.MM.yyyy}.",
                Args: new Dictionary<string, string>
                {
                    ["title"] = titleStart.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
                    ["week"] = header.WeekStart.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
                }));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var replacing = await PrepareWeekAsync(connection, transaction, header, file.ReportsFlaggedVisitors, cancellationToken);
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
            throw new ExportFileException("no_data_rows", "The file has a header row but no data rows.", ExportMessageCodes.Values(null));
        var limit = options.Value.MaxRowErrorPercent;
        var share = 100.0 * counts.Rejected / file.DataRows;
        if (share > limit)
        {
            throw new ExportFileException("too_many_errors",
                $"{counts.Rejected} of {file.DataRows} data rows ({share:0.#}%) have errors; a file with more than {limit:0.#}% is refused whole. The row errors are listed below.",
                new Dictionary<string, string>
                {
                    ["rejected"] = counts.Rejected.ToString(CultureInfo.InvariantCulture),
                    ["rows"] = file.DataRows.ToString(CultureInfo.InvariantCulture),
                    ["share"] = share.ToString("0.#", CultureInfo.InvariantCulture),
                    ["max"] = limit.ToString("0.#", CultureInfo.InvariantCulture),
                });
        }

        var indexes = phase.Elapsed;
        phase.Restart();
        var excludedByRule = await WeekDerivation.ApplyExclusionRuleToNewRowsAsync(
            connection, transaction, partition, header.WeekStart, options.Value.ExclusionWeeks, cancellationToken);
        var rule = phase.Elapsed;
        phase.Restart();
        // The counts gathered while the rows went in, brought up to date with the rule; when repeated BINs
        // were taken out, the rows are counted again in SQL instead (rare, and the tally would need to know which).
        // A replacement's counts are the published version's until it is published, and are derived then.
        if (replacing)
            logger.LogInformation("Import {ImportId} waits beside the published week {Week} to replace it", header.Id, header.WeekStart);
        else if (duplicatesRemoved == 0)
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
        await ImportRecords.SaveMessagesAsync(connection, transaction, header.Id, messages, cancellationToken);
        var saveMessages = phase.Elapsed;
        phase.Restart();
        await using (var done = new NpgsqlCommand($"""
            UPDATE imports SET state = '{ImportStates.Loaded}', finished_at = clock_timestamp(), error = NULL, format = $2,
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
            $"week {header.WeekStart:yyyy-MM-dd}: {counts.Loaded} rows loaded, {counts.Rejected} rejected" +
            (replacing ? "; waiting beside the published version to replace it" : ""), cancellationToken: cancellationToken);

        // Last, so that the parent table is locked for the moment of the swap only: the week's earlier
        // rows (a draft or a withdrawn week, never a published one) give way to the new partition. A
        // replacement stays a table of its own until it is published.
        if (!replacing)
            await WeekPartitions.SwapInAsync(connection, transaction, partition, header.WeekStart, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Import {ImportId}: {Rows} rows read and copied in {ReadSeconds:0.00} s, indexes and duplicates {IndexSeconds:0.00} s, " +
            "rule {RuleSeconds:0.00} s, counts {CountSeconds:0.00} s, messages {MessageSeconds:0.00} s, swap and commit {CommitSeconds:0.00} s",
            header.Id, counts.Read, readAndCopy.TotalSeconds, indexes.TotalSeconds, rule.TotalSeconds, recount.TotalSeconds,
            saveMessages.TotalSeconds, phase.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Records the week as a draft of this import, or, for a published week, this import as the week's
    /// replacement waiting beside the published version (see <see cref="WeekReplacements"/>). Returns
    /// whether it is a replacement. A replacement loaded earlier for the week gives way, table and all.
    /// </summary>
    private static async Task<bool> PrepareWeekAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader header, bool flaggedReported, CancellationToken cancellationToken)
    {
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        string? status;
        await using (var find = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new() { Value = header.WeekStart });
            status = (string?)await find.ExecuteScalarAsync(cancellationToken);
        }
        await WeekReplacements.DropPendingAsync(connection, transaction, header.WeekStart, cancellationToken);
        if (status == WeekStatuses.Published)
        {
            await WeekDerivation.ExecuteAsync(connection, transaction, """
                INSERT INTO week_replacements (week_start, import_id, source_sha256, loaded_at, flagged_visitors_reported)
                VALUES (@week, @import, @sha, now(), @flaggedReported);
                """, cancellationToken, ("week", header.WeekStart), ("import", header.Id), ("sha", header.Sha256), ("flaggedReported", flaggedReported));
            return true;
        }
        await WeekDerivation.ExecuteAsync(connection, transaction, """
            DELETE FROM weeks WHERE week_start = @week;
            INSERT INTO weeks (week_start, status, import_id, source_sha256, loaded_at, flagged_visitors_reported)
            VALUES (@week, 'draft', @import, @sha, now(), @flaggedReported);
            """, cancellationToken, ("week", header.WeekStart), ("import", header.Id), ("sha", header.Sha256), ("flaggedReported", flaggedReported));
        return false;
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
                                $"Repeats line {lines[0]} exactly; loaded once.", line, "bin", bin, bin,
                                new Dictionary<string, string> { ["line"] = lines[0].ToString(CultureInfo.InvariantCulture) }));
                        }
                        removed += lines.Length - 1;
                        continue;
                    }
                    foreach (var line in lines)
                    {
                        var others = MessageText.Lines(lines, except: line);
                        messages.Add(new ExportMessage(MessageSeverity.RowError, "duplicate_bin",
                            $"The BIN is listed again with different values on line(s) {others}; none of these rows is loaded.", line, "bin", bin, bin,
                            new Dictionary<string, string>
                            {
                                ["others"] = (lines.Length - 1).ToString(CultureInfo.InvariantCulture),
                                ["lines"] = MessageText.FirstLines(lines, except: line),
                            }));
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

    private async Task<CategoryMatcher> LoadCategoriesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT alias, category_code FROM category_aliases");
        var aliases = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            aliases.Add((reader.GetString(0), reader.GetString(1)));
        return new CategoryMatcher(aliases);
    }
}
