using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// Each week's rows are a partition of <c>week_rows</c>, named <c>week_rows_yyyymmdd_{import}</c>
/// (the ones moved over by the migration have no import number). A load fills a fresh table with
/// no index, indexes it, and swaps it in for the week's earlier partition at the end of its
/// transaction; the week's CHECK constraint lets the attach skip scanning the rows.
/// </summary>
public static class WeekPartitions
{
    public static string NewName(DateOnly week, long importId) => $"week_rows_{week:yyyyMMdd}_{importId}";

    /// <summary>
    /// Creates the new partition as a plain table. A table of the same name can only be this import's
    /// own from an earlier attempt that committed nothing else, or a leftover of a reset database.
    /// </summary>
    public static string CreateSql(string partition, DateOnly week) => $"""
        DROP TABLE IF EXISTS {partition};
        CREATE TABLE {partition} (LIKE week_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
                                   CHECK (week_start = DATE '{week:yyyy-MM-dd}'));
        """;

    public static string UniqueIndexSql(string partition) =>
        $"CREATE UNIQUE INDEX {partition}_bin ON {partition} (bin, week_start DESC);";

    /// <summary>The same definition as the parent's list index, so that the attach adopts it rather than building another.</summary>
    public static string ListIndexSql(string partition) =>
        $"CREATE INDEX {partition}_listed ON {partition} (status, name, bin) INCLUDE (week_start) WHERE status <> 'participant';";

    /// <summary>Drops whatever partition held the week before and attaches the new one in its place.</summary>
    public static async Task SwapInAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, DateOnly week, CancellationToken cancellationToken)
    {
        var sql = await DropSqlAsync(connection, transaction, week, cancellationToken) +
                  $"ALTER TABLE week_rows ATTACH PARTITION {partition} FOR VALUES IN (DATE '{week:yyyy-MM-dd}');";
        await using var swap = new NpgsqlCommand(sql, connection, transaction);
        await swap.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statements that drop every partition holding the week (the current one, and any left by a load that died).</summary>
    public static async Task<string> DropSqlAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using var find = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'week_rows'::regclass AND c.relname LIKE $1
            """, connection, transaction);
        find.Parameters.Add(new() { Value = $"week\\_rows\\_{week:yyyyMMdd}%" });
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                names.Add(reader.GetString(0));
        }
        return string.Concat(names.Select(name => $"DROP TABLE \"{name}\";\n"));
    }
}
