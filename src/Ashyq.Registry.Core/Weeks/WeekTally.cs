using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// A week's counts gathered while its rows are loaded: the same figures <see cref="WeekDerivation.RecountAsync"/>
/// derives from the rows in SQL (totals, and by category and by district, a missing district counted as
/// "unknown"), without reading the million rows again. Tests hold the two to the same result.
/// </summary>
internal sealed class WeekTally
{
    private const int Participants = 0, Leaders = 1, Outsiders = 2, Excluded = 3;

    private readonly Dictionary<string, int[]> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _districts = new(StringComparer.Ordinal);
    private readonly int[] _total = new int[4];
    private int _excludedByRule;
    private long _flagged;

    /// <summary>One loaded row, with the status its file gave it.</summary>
    public void Add(string category, string? district, string status, int flaggedVisitors)
    {
        _flagged += flaggedVisitors;
        Count(Slot(_categories, category), status, 1);
        Count(Slot(_districts, district ?? "unknown"), status, 1);
        Count(_total, status, 1);
    }

    /// <summary>Outsiders the exclusion rule turned into excluded.</summary>
    public void ExcludedByRule(string category, string? district, int rows)
    {
        foreach (var counts in new[] { Slot(_categories, category), Slot(_districts, district ?? "unknown"), _total })
        {
            Count(counts, "outsider", -rows);
            Count(counts, "excluded", rows);
        }
        _excludedByRule += rows;
    }

    /// <summary>Replaces the week's counts with these, as <see cref="WeekDerivation.RecountAsync"/> would.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            var totals = new NpgsqlBatchCommand("""
                UPDATE weeks SET participants = $2, leaders = $3, outsiders = $4, excluded = $5, excluded_by_rule = $6, flagged_visitors = $7
                WHERE week_start = $1
                """);
            foreach (var value in new object[] { week, _total[Participants], _total[Leaders], _total[Outsiders], _total[Excluded], _excludedByRule, _flagged })
                totals.Parameters.Add(new() { Value = value });
            batch.BatchCommands.Add(totals);
            var clear = new NpgsqlBatchCommand("DELETE FROM week_counts WHERE week_start = $1");
            clear.Parameters.Add(new() { Value = week });
            batch.BatchCommands.Add(clear);
            foreach (var (dimension, groups) in new[] { ("category", _categories), ("district", _districts) })
            {
                foreach (var (code, counts) in groups)
                {
                    var insert = new NpgsqlBatchCommand("""
                        INSERT INTO week_counts (week_start, dimension, code, participants, leaders, outsiders, excluded)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        """);
                    foreach (var value in new object[] { week, dimension, code, counts[Participants], counts[Leaders], counts[Outsiders], counts[Excluded] })
                        insert.Parameters.Add(new() { Value = value });
                    batch.BatchCommands.Add(insert);
                }
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static int[] Slot(Dictionary<string, int[]> groups, string code)
    {
        if (!groups.TryGetValue(code, out var counts))
            groups[code] = counts = new int[4];
        return counts;
    }

    private static void Count(int[] counts, string status, int rows)
    {
        switch (status)
        {
            case "leader":
                counts[Leaders] += rows;
                break;
            case "outsider":
                counts[Outsiders] += rows;
                break;
            case "excluded":
                counts[Excluded] += rows;
                return; // not a participant
        }
        counts[Participants] += rows;
    }
}
