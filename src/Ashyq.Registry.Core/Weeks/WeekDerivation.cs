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
    /// in each of the N − 1 published weeks just before it is excluded by the rule, and an outsider the
    /// rule excluded earlier that no longer has the streak is an outsider again. Rows the file itself
    /// marked excluded keep that source. One pass that writes only the rows whose outcome changes, and
    /// says how many they were: none when the published weeks before it are as they were.
    /// </summary>
    public static async Task<int> ApplyExclusionRuleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, int weeksInARow, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH {StreaksSql},
            changed AS (
                SELECT o.bin, s.bin IS NOT NULL AS exclude
                FROM week_rows o LEFT JOIN streak s ON s.bin = o.bin
                WHERE o.week_start = @week AND o.file_status = 'outsider'
                  AND (s.bin IS NOT NULL) <> (o.exclusion_source IS NOT DISTINCT FROM 'rule')
            )
            UPDATE week_rows r
            SET status = CASE WHEN c.exclude THEN 'excluded' ELSE 'outsider' END,
                exclusion_source = CASE WHEN c.exclude THEN 'rule' END
            FROM changed c
            WHERE r.week_start = @week AND r.bin = c.bin
            """, connection, transaction);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.AddWithValue("n", weeksInARow);
        return await command.ExecuteNonQueryAsync(cancellationToken);
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

    // The BINs whose files said outsider in each of the @n − 1 published weeks before @week.
    private const string StreaksSql = $"""
        previous AS (
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
        """;

    // The outsiders of @week whose files said outsider in each of the @n − 1 published weeks before it.
    private static string ExcludeStreaksSql(string rows) => $"""
        WITH {StreaksSql}
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
    /// all published weeks. Only rows that differ are written, and businesses new to the registry
    /// are added as plain inserts rather than tried as updates first.
    /// </summary>
    public static async Task RefreshBusinessesAfterPublishAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        await using var newest = new NpgsqlCommand(
            $"SELECT NOT EXISTS (SELECT 1 FROM weeks WHERE status = '{WeekStatuses.Published}' AND week_start > $1)", connection, transaction);
        newest.Parameters.Add(new() { Value = week });
        if ((bool)(await newest.ExecuteScalarAsync(cancellationToken))!)
        {
            var rebuilt = await SecondaryIndexes.SetAsideWhenEmptyAsync(connection, transaction, "businesses", cancellationToken);
            await ExecuteAsync(connection, transaction, $"""
                WITH latest AS (
                    SELECT bin, name, category_code, category_raw, district_code, address, joined_on,
                           week_start AS first_listed_week
                    FROM week_rows WHERE week_start = @week
                ),
                {WriteBusinessesSql("least(b.first_listed_week, l.first_listed_week)")};
                """, cancellationToken, ("week", week));
            await rebuilt.RestoreAsync(cancellationToken);
            return;
        }
        await RebuildBusinessesListedInAsync(connection, transaction, [week], cancellationToken);
    }

    // From a CTE "latest" of businesses' public rows: updates the businesses whose row differs and adds
    // the ones not there yet, in one statement (the insert sees the table as it was before the update).
    // A row holds only what describes the business (its status and newest week are read from
    // business_weeks), so a week that says nothing new of a business leaves its row as it was.
    private static string WriteBusinessesSql(string firstListedWeek) => $"""
        updated AS (
            UPDATE businesses b SET
                name = l.name, category_code = l.category_code, category_raw = l.category_raw,
                district_code = l.district_code, address = l.address, joined_on = l.joined_on,
                first_listed_week = {firstListedWeek}
            FROM latest l
            WHERE b.bin = l.bin
              AND (b.name, b.category_code, b.category_raw, b.district_code, b.address, b.joined_on, b.first_listed_week)
                  IS DISTINCT FROM
                  (l.name, l.category_code, l.category_raw, l.district_code, l.address, l.joined_on, {firstListedWeek})
        )
        INSERT INTO businesses (bin, name, category_code, category_raw, district_code, address, joined_on, first_listed_week)
        SELECT l.bin, l.name, l.category_code, l.category_raw, l.district_code, l.address, l.joined_on, l.first_listed_week
        FROM latest l
        WHERE NOT EXISTS (SELECT 1 FROM businesses b WHERE b.bin = l.bin)
        """;

    /// <summary>
    /// Brings the by-BIN history (<c>business_weeks</c>) of the given weeks in line with their rows: a
    /// week that is not published (any more) has none; a week published just now gets all of its rows;
    /// a week published before keeps its rows and only those the rule has since changed are rewritten.
    /// </summary>
    public static async Task RefreshBusinessWeeksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly[] weeks, CancellationToken cancellationToken)
    {
        List<DateOnly> fresh = [], kept = [];
        await using (var find = new NpgsqlCommand($"""
            SELECT w.week_start, EXISTS (SELECT 1 FROM business_weeks bw WHERE bw.week_start = w.week_start)
            FROM weeks w WHERE w.week_start = ANY($1) AND w.status = '{WeekStatuses.Published}'
            """, connection, transaction))
        {
            find.Parameters.Add(new() { Value = weeks });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                (reader.GetBoolean(1) ? kept : fresh).Add(reader.GetFieldValue<DateOnly>(0));
        }
        var rebuilt = await SecondaryIndexes.SetAsideWhenEmptyAsync(connection, transaction, "business_weeks", cancellationToken);
        // The week is named on both sides of each join, so that only its partition and its part of the
        // history are read, not the history of every week.
        await ExecuteAsync(connection, transaction, """
            DELETE FROM business_weeks WHERE week_start = ANY(@weeks) AND NOT week_start = ANY(@published);

            UPDATE business_weeks bw
            SET status = r.status, scans = r.scans, flagged_visitors = r.flagged_visitors, reason = r.reason,
                exclusion_source = r.exclusion_source
            FROM week_rows r
            WHERE r.week_start = ANY(@kept) AND bw.week_start = ANY(@kept)
              AND bw.week_start = r.week_start AND bw.bin = r.bin
              AND (bw.status, bw.scans, bw.flagged_visitors, bw.reason, bw.exclusion_source)
                  IS DISTINCT FROM (r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source);

            INSERT INTO business_weeks (bin, week_start, status, scans, flagged_visitors, reason, exclusion_source)
            SELECT r.bin, r.week_start, r.status, r.scans, r.flagged_visitors, r.reason, r.exclusion_source
            FROM week_rows r
            WHERE r.week_start = ANY(@fresh)
            ORDER BY r.bin;
            """, cancellationToken, ("weeks", weeks), ("published", kept.Concat(fresh).ToArray()), ("kept", kept.ToArray()),
            ("fresh", fresh.ToArray()));
        await rebuilt.RestoreAsync(cancellationToken);
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

            WITH latest AS MATERIALIZED (
                SELECT DISTINCT ON (r.bin)
                       r.bin, r.name, r.category_code, r.category_raw, r.district_code, r.address, r.joined_on,
                       min(r.week_start) OVER (PARTITION BY r.bin) AS first_listed_week
                FROM week_rows r
                JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
                JOIN affected_bins a ON a.bin = r.bin
                ORDER BY r.bin, r.week_start DESC
            ),
            {WriteBusinessesSql("l.first_listed_week")};

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
            // A week's counts follow from its own rows alone: when the rule changed none, they stand.
            if (await ApplyExclusionRuleAsync(connection, transaction, next, weeksInARow, cancellationToken) > 0)
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
