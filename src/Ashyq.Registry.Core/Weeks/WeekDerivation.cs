using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// What the registry derives from a week's loaded rows, as set-based SQL inside the caller's
/// transaction: the exclusion rule, the week's counts, and the public view of each business.
/// </summary>
public static class WeekDerivation
{
    /// <summary>
    /// Applies the exclusion rule to one week: an outsider in this week whose file also said outsider
    /// in each of the N − 1 published weeks just before it is excluded by the rule. Rows the file
    /// itself marked excluded keep that source. An earlier application of the rule to the week's rows
    /// is undone first.
    /// </summary>
    public static async Task ApplyExclusionRuleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, int weeksInARow, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"""
            UPDATE week_rows SET status = file_status, exclusion_source = NULL
            WHERE week_start = @week AND exclusion_source = 'rule';

            {ExcludeStreaksSql("week_rows")};
            """, cancellationToken, ("week", week), ("n", weeksInARow));
    }

    /// <summary>
    /// Applies the exclusion rule to the rows of a new partition, not yet attached, whose rows are as
    /// the file gave them (nothing of an earlier application to undo), and says how many rows of each
    /// category and district it excluded, so that counts gathered during the load can follow.
    /// </summary>
    public static async Task<IReadOnlyList<(string Category, string? District, int Rows)>> ApplyExclusionRuleToNewRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, DateOnly week, int weeksInARow,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH excluded AS ({ExcludeStreaksSql(partition)} RETURNING r.category_code, r.district_code)
            SELECT category_code, district_code, count(*)::int FROM excluded GROUP BY 1, 2
            """, connection, transaction);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.AddWithValue("n", weeksInARow);
        var excluded = new List<(string, string?, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            excluded.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2)));
        return excluded;
    }

    // The outsiders of @week whose files said outsider in each of the @n − 1 published weeks before it.
    private static string ExcludeStreaksSql(string rows) => $"""
        WITH previous AS (
            SELECT week_start FROM weeks
            WHERE status = '{WeekStatuses.Published}' AND week_start < @week
            ORDER BY week_start DESC
            LIMIT @n - 1
        ),
        streak AS (
            SELECT r.bin
            FROM week_rows r JOIN previous p ON p.week_start = r.week_start
            WHERE r.file_status = 'outsider'
            GROUP BY r.bin
            HAVING count(*) = @n - 1
        )
        UPDATE {rows} r SET status = 'excluded', exclusion_source = 'rule'
        FROM streak s
        WHERE r.week_start = @week AND r.bin = s.bin AND r.file_status = 'outsider'
        """;

    /// <summary>Recounts the week's totals and its counts by category and district.</summary>
    public static async Task RecountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken,
        string rows = "week_rows")
    {
        // One pass over the week's rows gives the totals and both breakdowns (grouping sets).
        await ExecuteAsync(connection, transaction, $"""
            DELETE FROM week_counts WHERE week_start = @week;

            WITH counts AS MATERIALIZED (
                SELECT GROUPING(category_code, coalesce(district_code, 'unknown')) AS level,
                       category_code, coalesce(district_code, 'unknown') AS district_code,
                       count(*) FILTER (WHERE status <> 'excluded') AS participants,
                       count(*) FILTER (WHERE status = 'leader') AS leaders,
                       count(*) FILTER (WHERE status = 'outsider') AS outsiders,
                       count(*) FILTER (WHERE status = 'excluded') AS excluded,
                       count(*) FILTER (WHERE exclusion_source = 'rule') AS excluded_by_rule,
                       coalesce(sum(flagged_visitors), 0) AS flagged
                FROM {rows} WHERE week_start = @week
                GROUP BY GROUPING SETS ((), (category_code), (coalesce(district_code, 'unknown')))
            ),
            totals AS (
                UPDATE weeks w SET
                    participants = coalesce(c.participants, 0), leaders = coalesce(c.leaders, 0),
                    outsiders = coalesce(c.outsiders, 0), excluded = coalesce(c.excluded, 0),
                    excluded_by_rule = coalesce(c.excluded_by_rule, 0), flagged_visitors = coalesce(c.flagged, 0)
                FROM (SELECT 1) one LEFT JOIN counts c ON c.level = 3
                WHERE w.week_start = @week
            )
            INSERT INTO week_counts (week_start, dimension, code, participants, leaders, outsiders, excluded)
            SELECT @week, CASE level WHEN 1 THEN 'category' ELSE 'district' END,
                   CASE level WHEN 1 THEN category_code ELSE district_code END,
                   participants, leaders, outsiders, excluded
            FROM counts WHERE level IN (1, 2);
            """, cancellationToken, ("week", week));
    }

    /// <summary>
    /// Brings the public view of businesses up to date after the week was published. When it is the
    /// newest published week its rows simply win; otherwise every business it lists is rebuilt from
    /// all published weeks.
    /// </summary>
    public static async Task RefreshBusinessesAfterPublishAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        await using var newest = new NpgsqlCommand(
            $"SELECT NOT EXISTS (SELECT 1 FROM weeks WHERE status = '{WeekStatuses.Published}' AND week_start > $1)", connection, transaction);
        newest.Parameters.Add(new() { Value = week });
        if ((bool)(await newest.ExecuteScalarAsync(cancellationToken))!)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO businesses AS b (bin, name, category_code, category_raw, district_code, address, joined_on,
                                             current_status, last_listed_week, first_listed_week)
                SELECT bin, name, category_code, category_raw, district_code, address, joined_on, status, week_start, week_start
                FROM week_rows WHERE week_start = @week
                ON CONFLICT (bin) DO UPDATE SET
                    name = excluded.name, category_code = excluded.category_code, category_raw = excluded.category_raw,
                    district_code = excluded.district_code, address = excluded.address, joined_on = excluded.joined_on,
                    current_status = excluded.current_status, last_listed_week = excluded.last_listed_week,
                    first_listed_week = least(b.first_listed_week, excluded.first_listed_week);
                """, cancellationToken, ("week", week));
            return;
        }
        await RebuildBusinessesListedInAsync(connection, transaction, [week], cancellationToken);
    }

    /// <summary>
    /// Rewrites the by-BIN history (<c>business_weeks</c>) for the given weeks: their rows if the week
    /// is published, nothing if it is not (any more).
    /// </summary>
    public static async Task RefreshBusinessWeeksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly[] weeks, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"""
            DELETE FROM business_weeks WHERE week_start = ANY(@weeks);
            INSERT INTO business_weeks (bin, week_start, status, scans, flagged_visitors, reason, exclusion_source)
            SELECT r.bin, r.week_start, r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source
            FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
            WHERE r.week_start = ANY(@weeks)
            ORDER BY r.bin;
            """, cancellationToken, ("weeks", weeks));
    }

    /// <summary>
    /// Rebuilds the public view of every business listed in the given weeks from all published weeks;
    /// and of the businesses in <paramref name="alsoBinsOf"/>, a table with a <c>bin</c> column, when given
    /// (the businesses of rows that are gone, such as a replaced version of a week).
    /// </summary>
    public static async Task RebuildBusinessesListedInAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly[] weeks, CancellationToken cancellationToken,
        string? alsoBinsOf = null)
    {
        var also = alsoBinsOf is null ? "" : $"INSERT INTO affected_bins SELECT DISTINCT bin FROM {alsoBinsOf} ON CONFLICT DO NOTHING;";
        await ExecuteAsync(connection, transaction, $"""
            CREATE TEMP TABLE affected_bins (bin char(12) PRIMARY KEY) ON COMMIT DROP;
            INSERT INTO affected_bins SELECT DISTINCT bin FROM week_rows WHERE week_start = ANY(@weeks);
            {also}

            DELETE FROM businesses b
            USING affected_bins a
            WHERE b.bin = a.bin AND NOT EXISTS (
                SELECT 1 FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
                WHERE r.bin = a.bin);

            INSERT INTO businesses AS b (bin, name, category_code, category_raw, district_code, address, joined_on,
                                         current_status, last_listed_week, first_listed_week)
            SELECT DISTINCT ON (r.bin)
                   r.bin, r.name, r.category_code, r.category_raw, r.district_code, r.address, r.joined_on,
                   r.status, r.week_start, min(r.week_start) OVER (PARTITION BY r.bin)
            FROM week_rows r
            JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
            JOIN affected_bins a ON a.bin = r.bin
            ORDER BY r.bin, r.week_start DESC
            ON CONFLICT (bin) DO UPDATE SET
                name = excluded.name, category_code = excluded.category_code, category_raw = excluded.category_raw,
                district_code = excluded.district_code, address = excluded.address, joined_on = excluded.joined_on,
                current_status = excluded.current_status, last_listed_week = excluded.last_listed_week,
                first_listed_week = excluded.first_listed_week;

            DROP TABLE affected_bins;
            """, cancellationToken, ("weeks", weeks));
    }

    /// <summary>Re-derives every loaded week after the given one, oldest first, since the rule looks back.</summary>
    public static async Task<DateOnly[]> RederiveLaterWeeksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, int weeksInARow, CancellationToken cancellationToken)
    {
        var later = new List<DateOnly>();
        await using (var command = new NpgsqlCommand(
            "SELECT week_start FROM weeks WHERE week_start > $1 ORDER BY week_start", connection, transaction))
        {
            command.Parameters.Add(new() { Value = week });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                later.Add(reader.GetFieldValue<DateOnly>(0));
        }
        foreach (var next in later)
        {
            await ApplyExclusionRuleAsync(connection, transaction, next, weeksInARow, cancellationToken);
            await RecountAsync(connection, transaction, next, cancellationToken);
        }
        return [.. later];
    }

    internal static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
