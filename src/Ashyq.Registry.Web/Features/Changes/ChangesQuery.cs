using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Changes;

/// <summary>One business in one section of a week's changes.</summary>
/// <summary>Id is the business's public identifier, Number its BIN as the public sees it (an IIN masked).</summary>
public sealed record ChangedBusiness(string Id, string Number, string Name, string Status, string? PreviousStatus, string? Reason, string? ExclusionSource);

/// <summary>A section of the changes: how many businesses it holds and the first of them by name.</summary>
public sealed record ChangeSection(string Kind, int Total, IReadOnlyList<ChangedBusiness> Businesses);

/// <summary>
/// What a published week changed against the published week before it: new leaders and outsiders,
/// new exclusions by the file and by the rule, readmissions, and businesses that joined or left the list.
/// </summary>
public static class ChangesQuery
{
    public const string NewLeaders = "leaders";
    public const string NewOutsiders = "outsiders";
    public const string ExcludedByFile = "excluded-file";
    public const string ExcludedByRule = "excluded-rule";
    public const string Readmitted = "readmitted";
    public const string Newcomers = "newcomers";
    public const string Departures = "departures";

    public static readonly string[] Kinds = [NewLeaders, NewOutsiders, ExcludedByFile, ExcludedByRule, Readmitted, Newcomers, Departures];

    public const int PageSize = 50;

    public static bool IsKind(string? kind) => kind is not null && Kinds.Contains(kind);

    /// <summary>
    /// Every group's count and its businesses from offset on, at most limit of them; with a kind, the
    /// businesses of that group alone (the others keep their counts and come back with none).
    /// </summary>
    public static async Task<IReadOnlyList<ChangeSection>> LoadAsync(
        NpgsqlDataSource dataSource, DateOnly week, DateOnly? previous, string? kind, int offset, int limit, CancellationToken cancellationToken)
    {
        // The week is joined to the one before it once; every section is read off that join. Only a
        // business missing from the previous week needs the costlier look further back for readmission.
        await using var command = dataSource.CreateCommand($"""
            WITH cur AS MATERIALIZED (
                SELECT r.bin, r.name, r.status, r.reason, r.exclusion_source
                FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
                WHERE r.week_start = @week),
            prev AS MATERIALIZED (
                SELECT r.bin, r.name, r.status, r.reason, r.exclusion_source
                FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
                WHERE r.week_start = @previous),
            joined AS MATERIALIZED (
                SELECT c.*, p.status AS before, p.bin IS NOT NULL AS was_listed
                FROM cur c LEFT JOIN prev p ON p.bin = c.bin),
            changes AS (
                SELECT CASE status WHEN 'leader' THEN 'leaders' WHEN 'outsider' THEN 'outsiders'
                                   ELSE CASE WHEN exclusion_source = 'rule' THEN 'excluded-rule' ELSE 'excluded-file' END
                       END AS kind,
                       bin, name, status, before, reason, exclusion_source
                FROM joined
                WHERE status IN ('leader', 'outsider', 'excluded') AND before IS DISTINCT FROM status
                UNION ALL
                SELECT 'readmitted', j.bin, j.name, j.status, 'excluded', j.reason, j.exclusion_source
                FROM joined j
                WHERE j.status <> 'excluded' AND (j.before = 'excluded' OR (NOT j.was_listed AND (
                    -- The published history by BIN: one probe of its key, not one per week's partition.
                    SELECT l.status FROM business_weeks l
                    WHERE l.bin = j.bin AND l.week_start < @week
                    ORDER BY l.week_start DESC LIMIT 1) = 'excluded'))
                UNION ALL
                SELECT 'newcomers', bin, name, status, NULL, reason, exclusion_source
                FROM joined WHERE @previous IS NOT NULL AND NOT was_listed
                UNION ALL
                SELECT 'departures', p.bin, p.name, p.status, p.status, p.reason, p.exclusion_source
                FROM prev p WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.bin = p.bin)),
            numbered AS (
                SELECT *, row_number() OVER (PARTITION BY kind ORDER BY name, bin) AS n,
                       count(*) OVER (PARTITION BY kind)::int AS total
                FROM changes)
            SELECT kind, bin, name, status, before, reason, exclusion_source, total,
                   (@kind::text IS NULL OR kind = @kind) AND n > @offset AND n <= @offset + @limit AS shown,
                   (SELECT p.public_id FROM business_public_ids p WHERE p.bin = numbered.bin)
            FROM numbered
            WHERE n = 1 OR ((@kind::text IS NULL OR kind = @kind) AND n > @offset AND n <= @offset + @limit)
            ORDER BY kind, n
            """);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Date) { Value = previous is { } p ? p : DBNull.Value });
        command.Parameters.AddWithValue("offset", (long)offset);
        command.Parameters.AddWithValue("limit", (long)limit);
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = kind is null ? DBNull.Value : kind });

        var byKind = Kinds.ToDictionary(k => k, _ => (Total: 0, Rows: new List<ChangedBusiness>()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var rowKind = reader.GetString(0);
            var section = byKind[rowKind];
            byKind[rowKind] = (reader.GetInt32(7), section.Rows);
            if (!reader.GetBoolean(8))
                continue;
            var bin = reader.GetString(1);
            section.Rows.Add(new ChangedBusiness(
                reader.IsDBNull(9) ? bin : reader.GetString(9), PersonalNumbers.Shown(bin), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return [.. Kinds.Select(k => new ChangeSection(k, byKind[k].Total, byKind[k].Rows))];
    }
}
