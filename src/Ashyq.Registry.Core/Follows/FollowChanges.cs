using Ashyq.Registry.Core.Weeks;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Core.Follows;

public sealed record Tallies(int Participants, int Leaders, int Outsiders, int Excluded)
{
    public static readonly Tallies None = new(0, 0, 0, 0);
}

/// <summary>Businesses that entered or left one list (leaders, outsiders, excluded) of a category or district.</summary>
public sealed record ListMove(string Status, bool Entered, IReadOnlyList<string> Names, int Total);

/// <summary>A category's or district's week beside the published week before it.</summary>
public sealed record GroupChange(string Dimension, string Code, Tallies Now, Tallies Before, IReadOnlyList<ListMove> Moves)
{
    public bool Changed => Now != Before || Moves.Count > 0;
}

/// <summary>A business's status in a week and in the published week before it (null: not in that week's export).</summary>
public sealed record BusinessChange(string Bin, string Name, string PageId, string? Status, string? PreviousStatus)
{
    public bool Changed => Status != PreviousStatus;
}

/// <summary>What changed in a published week against the published week before it, for follows and their feeds.</summary>
public static class FollowChanges
{
    public static readonly IReadOnlyList<string> ListedStatuses = ["leader", "outsider", "excluded"];

    public static async Task<DateOnly?> PreviousPublishedWeekAsync(NpgsqlDataSource dataSource, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT max(week_start) FROM weeks WHERE status = '{WeekStatuses.Published}' AND week_start < $1");
        command.Parameters.Add(new() { Value = week });
        return await command.ExecuteScalarAsync(cancellationToken) is DateOnly previous ? previous : null;
    }

    /// <summary>The business's change, or null when neither week lists it.</summary>
    public static async Task<BusinessChange?> BusinessAsync(
        NpgsqlDataSource dataSource, string bin, DateOnly week, DateOnly? previous, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT status FROM week_rows WHERE week_start = $2 AND bin = $1),
                   (SELECT status FROM week_rows WHERE week_start = $3 AND bin = $1),
                   coalesce((SELECT name FROM week_rows WHERE week_start = $2 AND bin = $1), (SELECT name FROM businesses WHERE bin = $1)),
                   coalesce((SELECT public_id FROM business_public_ids WHERE bin = $1), $1)
            """);
        command.Parameters.Add(new() { Value = bin, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = previous ?? DateOnly.MinValue });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(2))
            return null;
        return new BusinessChange(bin, reader.GetString(2), reader.GetString(3).Trim(),
            reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <param name="dimension"><see cref="FollowKinds.Category"/> or <see cref="FollowKinds.District"/>.</param>
    public static async Task<GroupChange> GroupAsync(
        NpgsqlDataSource dataSource, string dimension, string code, DateOnly week, DateOnly? previous, int namesPerList,
        CancellationToken cancellationToken)
    {
        var column = dimension switch
        {
            FollowKinds.Category => "category_code",
            FollowKinds.District => "district_code",
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a category or district."),
        };
        var before = previous is { } p ? await TalliesAsync(dataSource, dimension, code, p, cancellationToken) : Tallies.None;
        var now = await TalliesAsync(dataSource, dimension, code, week, cancellationToken);

        // Entered: in the list this week and not the week before (in this category or district); left: the other way.
        await using var command = dataSource.CreateCommand($"""
            WITH moved AS (
                SELECT r.status, true AS entered, r.name, r.bin FROM week_rows r
                WHERE r.week_start = $1 AND r.{column} = $3 AND r.status <> 'participant'
                  AND NOT EXISTS (SELECT 1 FROM week_rows o WHERE o.week_start = $2 AND o.bin = r.bin AND o.status = r.status AND o.{column} = $3)
                UNION ALL
                SELECT o.status, false, o.name, o.bin FROM week_rows o
                WHERE o.week_start = $2 AND o.{column} = $3 AND o.status <> 'participant'
                  AND NOT EXISTS (SELECT 1 FROM week_rows r WHERE r.week_start = $1 AND r.bin = o.bin AND r.status = o.status AND r.{column} = $3)
            ), ranked AS (
                SELECT status, entered, name, count(*) OVER (PARTITION BY status, entered) AS total,
                       row_number() OVER (PARTITION BY status, entered ORDER BY name, bin) AS n
                FROM moved
            )
            SELECT status, entered, name, total FROM ranked WHERE n <= $4 ORDER BY status, entered DESC, n
            """);
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = previous ?? DateOnly.MinValue });
        command.Parameters.Add(new() { Value = code });
        command.Parameters.Add(new() { Value = (long)namesPerList });
        var groups = new Dictionary<(string, bool), (List<string> Names, int Total)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(0), reader.GetBoolean(1));
                if (!groups.TryGetValue(key, out var group))
                    groups[key] = group = ([], (int)reader.GetInt64(3));
                group.Names.Add(reader.GetString(2));
            }
        }
        var moves = ListedStatuses
            .SelectMany(s => new[] { (s, true), (s, false) })
            .Where(groups.ContainsKey)
            .Select(k => new ListMove(k.Item1, k.Item2, groups[k].Names, groups[k].Total))
            .ToList();
        return new GroupChange(dimension, code, now, before, moves);
    }

    private static async Task<Tallies> TalliesAsync(
        NpgsqlDataSource dataSource, string dimension, string code, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT participants, leaders, outsiders, excluded FROM week_counts WHERE week_start = $1 AND dimension = $2 AND code = $3");
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = dimension });
        command.Parameters.Add(new() { Value = code });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Tallies(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3))
            : Tallies.None;
    }
}
