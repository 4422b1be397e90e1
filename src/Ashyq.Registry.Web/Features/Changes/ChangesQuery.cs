using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Changes;

/// <summary>One business in one section of a week's changes.</summary>
public sealed record ChangedBusiness(string Bin, string Name, string Status, string? PreviousStatus, string? Reason, string? ExclusionSource);

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

    public const int SectionLimit = 200;

    public static async Task<IReadOnlyList<ChangeSection>> LoadAsync(
        NpgsqlDataSource dataSource, DateOnly week, DateOnly? previous, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH cur AS (
                SELECT r.* FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = 'published'
                WHERE r.week_start = @week),
            prev AS (
                SELECT r.* FROM week_rows r JOIN weeks w ON w.week_start = r.week_start AND w.status = 'published'
                WHERE r.week_start = @previous),
            changes AS (
                SELECT 'leaders' AS kind, c.bin, c.name, c.status, p.status AS before, c.reason, c.exclusion_source
                FROM cur c LEFT JOIN prev p ON p.bin = c.bin
                WHERE c.status = 'leader' AND p.status IS DISTINCT FROM 'leader'
                UNION ALL
                SELECT 'outsiders', c.bin, c.name, c.status, p.status, c.reason, c.exclusion_source
                FROM cur c LEFT JOIN prev p ON p.bin = c.bin
                WHERE c.status = 'outsider' AND p.status IS DISTINCT FROM 'outsider'
                UNION ALL
                SELECT CASE WHEN c.exclusion_source = 'rule' THEN 'excluded-rule' ELSE 'excluded-file' END,
                       c.bin, c.name, c.status, p.status, c.reason, c.exclusion_source
                FROM cur c LEFT JOIN prev p ON p.bin = c.bin
                WHERE c.status = 'excluded' AND p.status IS DISTINCT FROM 'excluded'
                UNION ALL
                SELECT 'readmitted', c.bin, c.name, c.status, 'excluded', c.reason, c.exclusion_source
                FROM cur c
                WHERE c.status <> 'excluded' AND (
                    SELECT l.status FROM week_rows l
                    JOIN weeks lw ON lw.week_start = l.week_start AND lw.status = 'published'
                    WHERE l.bin = c.bin AND l.week_start < @week
                    ORDER BY l.week_start DESC LIMIT 1) = 'excluded'
                UNION ALL
                SELECT 'newcomers', c.bin, c.name, c.status, NULL, c.reason, c.exclusion_source
                FROM cur c WHERE @previous IS NOT NULL AND NOT EXISTS (SELECT 1 FROM prev p WHERE p.bin = c.bin)
                UNION ALL
                SELECT 'departures', p.bin, p.name, p.status, p.status, p.reason, p.exclusion_source
                FROM prev p WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.bin = p.bin)),
            numbered AS (
                SELECT *, row_number() OVER (PARTITION BY kind ORDER BY name, bin) AS n,
                       count(*) OVER (PARTITION BY kind)::int AS total
                FROM changes)
            SELECT kind, bin, name, status, before, reason, exclusion_source, total
            FROM numbered WHERE n <= @limit
            ORDER BY kind, n
            """);
        command.Parameters.AddWithValue("week", week);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Date) { Value = previous is { } p ? p : DBNull.Value });
        command.Parameters.AddWithValue("limit", SectionLimit);

        var byKind = Kinds.ToDictionary(k => k, _ => (Total: 0, Rows: new List<ChangedBusiness>()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = reader.GetString(0);
            var section = byKind[kind];
            section.Rows.Add(new ChangedBusiness(
                reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            byKind[kind] = (reader.GetInt32(7), section.Rows);
        }
        return [.. Kinds.Select(k => new ChangeSection(k, byKind[k].Total, byKind[k].Rows))];
    }
}
