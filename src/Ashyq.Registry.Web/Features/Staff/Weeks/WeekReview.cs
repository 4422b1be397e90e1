using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Localization;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

public sealed record WeekTotals(int Rows, int Participants, int Leaders, int Outsiders, int ExcludedByFile, int ExcludedByRule, long FlaggedVisitors)
{
    public int Excluded => ExcludedByFile + ExcludedByRule;
}

public sealed record ChangedBusiness(string Bin, string Name, string? Before, string? After, string? Reason);

/// <summary>One kind of change (new, departed, new leaders, ...) with how many there are and the first of them by name.</summary>
public sealed record ChangeGroup(string Kind, int Count, IReadOnlyList<ChangedBusiness> First);

public sealed record CategoryTotal(string Code, string Name, int Before, int After);

/// <summary>
/// A week compared with the latest published week before it: what publishing it changes on the public
/// site, read inside <see cref="PublicationPreview"/>, so that for a week not yet published the review
/// shows what publishing will really do.
/// </summary>
public sealed record WeekReview(
    DateOnly Week,
    string Status,
    DateOnly? ComparedWith,
    WeekTotals After,
    WeekTotals? Before,
    IReadOnlyList<ChangeGroup> Changes,
    IReadOnlyList<CategoryTotal> Categories,
    IReadOnlyList<CategoryTotal> Districts)
{
    public const int ShownPerKind = 50;

    public static readonly string[] Kinds = ["new", "departed", "new-leader", "new-outsider", "excluded-file", "excluded-rule", "readmitted"];

    /// <summary>A file waiting to replace the published week, when this review is of it rather than of the week as published.</summary>
    public PendingReplacement? Replacement { get; init; }

    public static Task<WeekReview?> LoadAsync(
        NpgsqlDataSource dataSource, DateOnly week, int exclusionWeeks, CancellationToken cancellationToken) =>
        PublicationPreview.ReadAsync(dataSource, week, exclusionWeeks, preview => ReadAsync(preview, cancellationToken), cancellationToken);

    /// <summary>The replacement compared with the published version of the same week (not with the week before).</summary>
    public static async Task<WeekReview?> LoadReplacementAsync(
        NpgsqlDataSource dataSource, PendingReplacement replacement, int exclusionWeeks, CancellationToken cancellationToken) =>
        await PublicationPreview.ReadReplacementAsync(dataSource, replacement, exclusionWeeks, preview => ReadAsync(preview, cancellationToken), cancellationToken)
            is { } review ? review with { Replacement = replacement } : null;

    private static async Task<WeekReview> ReadAsync(PreviewedWeek preview, CancellationToken cancellationToken)
    {
        var (connection, transaction, week, status, previous) = preview;
        var rows = preview.Rows;
        var after = await TotalsAsync(connection, transaction, rows, week, cancellationToken);
        var before = previous is { } p ? await TotalsAsync(connection, transaction, "week_rows", p, cancellationToken) : null;
        var changes = await ChangesAsync(connection, transaction, rows, week, previous, cancellationToken);
        var categories = await ParticipantsByAsync("categories", "category_code", connection, transaction, rows, week, previous, cancellationToken);
        var districts = await ParticipantsByAsync("districts", "district_code", connection, transaction, rows, week, previous, cancellationToken);
        return new WeekReview(week, status, previous, after, before, changes, categories, districts);
    }

    private static async Task<WeekTotals> TotalsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rows, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT count(*)::int,
                   count(*) FILTER (WHERE status <> 'excluded')::int,
                   count(*) FILTER (WHERE status = 'leader')::int,
                   count(*) FILTER (WHERE status = 'outsider')::int,
                   count(*) FILTER (WHERE status = 'excluded' AND exclusion_source IS DISTINCT FROM 'rule')::int,
                   count(*) FILTER (WHERE status = 'excluded' AND exclusion_source = 'rule')::int,
                   coalesce(sum(flagged_visitors), 0)::bigint
            FROM {rows} WHERE week_start = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = week });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new WeekTotals(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetInt32(4), reader.GetInt32(5), reader.GetInt64(6));
    }

    private static async Task<IReadOnlyList<ChangeGroup>> ChangesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rows, DateOnly week, DateOnly? previous, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH cur AS (SELECT bin, name, status, exclusion_source, reason FROM {rows} WHERE week_start = @week),
            prev AS (SELECT bin, name, status FROM week_rows WHERE week_start = @previous),
            joined AS (
                SELECT coalesce(c.bin, p.bin) AS bin, coalesce(c.name, p.name) AS name, p.status AS before, c.status AS after,
                       c.exclusion_source, c.reason, c.bin IS NOT NULL AS listed, p.bin IS NOT NULL AS was_listed
                FROM cur c FULL JOIN prev p ON p.bin = c.bin
            ),
            changes AS (
                SELECT 'new' AS kind, bin, name, before, after, reason FROM joined WHERE listed AND NOT was_listed
                UNION ALL
                SELECT 'departed', bin, name, before, after, NULL FROM joined WHERE was_listed AND NOT listed
                UNION ALL
                SELECT 'new-leader', bin, name, before, after, NULL FROM joined WHERE after = 'leader' AND before IS DISTINCT FROM 'leader'
                UNION ALL
                SELECT 'new-outsider', bin, name, before, after, NULL FROM joined WHERE after = 'outsider' AND before IS DISTINCT FROM 'outsider'
                UNION ALL
                SELECT 'excluded-file', bin, name, before, after, reason FROM joined
                WHERE after = 'excluded' AND exclusion_source IS DISTINCT FROM 'rule' AND before IS DISTINCT FROM 'excluded'
                UNION ALL
                SELECT 'excluded-rule', bin, name, before, after, reason FROM joined
                WHERE after = 'excluded' AND exclusion_source = 'rule' AND before IS DISTINCT FROM 'excluded'
                UNION ALL
                -- Readmitted: excluded where it was last listed in a published week, listed with another status now.
                SELECT 'readmitted', j.bin, j.name, 'excluded', j.after, NULL FROM joined j
                WHERE j.listed AND j.after <> 'excluded'
                  AND (j.before = 'excluded'
                       OR (NOT j.was_listed AND (
                           -- The published history by BIN: one probe of its key, not one per week's partition.
                           SELECT bw.status FROM business_weeks bw
                           WHERE bw.bin = j.bin AND bw.week_start < @week
                           ORDER BY bw.week_start DESC LIMIT 1) = 'excluded'))
            )
            SELECT kind, bin, name, before, after, reason, total::int FROM (
                SELECT *, row_number() OVER (PARTITION BY kind ORDER BY name, bin) AS n, count(*) OVER (PARTITION BY kind) AS total
                FROM changes
            ) ranked
            WHERE n <= @shown
            ORDER BY kind, n
            """, connection, transaction);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Date) { Value = previous is { } p ? p : DBNull.Value });
        command.Parameters.AddWithValue("shown", ShownPerKind);

        var groups = new Dictionary<string, (int Count, List<ChangedBusiness> First)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = reader.GetString(0);
            if (!groups.TryGetValue(kind, out var group))
                groups[kind] = group = (reader.GetInt32(6), []);
            group.First.Add(new ChangedBusiness(reader.GetString(1).Trim(), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return Kinds.Select(k => groups.TryGetValue(k, out var g) ? new ChangeGroup(k, g.Count, g.First) : new ChangeGroup(k, 0, [])).ToList();
    }

    /// <summary>Participants of the week and of the one compared with, by category or by district (the table and the row's column name them).</summary>
    private static async Task<IReadOnlyList<CategoryTotal>> ParticipantsByAsync(string table, string column,
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rows, DateOnly week, DateOnly? previous, CancellationToken cancellationToken)
    {
        var nameColumn = Languages.Current switch
        {
            Languages.Kazakh => "name_kk",
            Languages.English => "name_en",
            _ => "name_ru",
        };
        await using var command = new NpgsqlCommand($"""
            SELECT c.code, c.{nameColumn}, coalesce(b.n, 0)::int, coalesce(a.n, 0)::int
            FROM {table} c
            LEFT JOIN (SELECT {column} AS code, count(*) AS n FROM week_rows WHERE week_start = @previous AND status <> 'excluded' GROUP BY {column}) b
                ON b.code = c.code
            LEFT JOIN (SELECT {column} AS code, count(*) AS n FROM {rows} WHERE week_start = @week AND status <> 'excluded' GROUP BY {column}) a
                ON a.code = c.code
            ORDER BY c.sort_order
            """, connection, transaction);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Date) { Value = previous is { } p ? p : DBNull.Value });
        var totals = new List<CategoryTotal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            totals.Add(new CategoryTotal(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        return totals;
    }
}
