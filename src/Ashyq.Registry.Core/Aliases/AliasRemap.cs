using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Core.Aliases;

/// <summary>One category text of the stored rows whose category an alias change would move.</summary>
public sealed record CategoryMove(string RawText, string From, string To, int Rows, int Weeks);

/// <summary>An alias to add (Id null) or an alias to remove (Id set).</summary>
public sealed record AliasChange(long? RemoveId, string Alias, string CategoryCode);

/// <summary>
/// Changing the aliases re-maps the rows already stored, since their raw category text was kept: the
/// plan says which texts move to which category; applying it changes the alias, the rows of every week
/// and the public view of businesses, recounts the weeks affected and tells every node to drop its caches.
/// Both take the lock that loads and publishing take, so the plan describes the rows it is applied to.
/// </summary>
public static class AliasRemap
{
    public static async Task<IReadOnlyList<CategoryMove>> PlanAsync(NpgsqlDataSource dataSource, AliasChange change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        return await PlanAsync(connection, transaction, change, cancellationToken);
    }

    public static async Task<IReadOnlyList<CategoryMove>> ApplyAsync(
        NpgsqlDataSource dataSource, AliasChange change, string actor, string? ip, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WeekLock.TakeAsync(connection, transaction, cancellationToken);
        var moves = await PlanAsync(connection, transaction, change, cancellationToken);

        await using (var alias = change.RemoveId is { } id
            ? new NpgsqlCommand("DELETE FROM category_aliases WHERE id = $1 AND NOT is_builtin", connection, transaction) { Parameters = { new() { Value = id } } }
            : new NpgsqlCommand("INSERT INTO category_aliases (alias, category_code, created_by) VALUES ($1, $2, $3)", connection, transaction)
            {
                Parameters = { new() { Value = change.Alias }, new() { Value = change.CategoryCode }, new() { Value = actor } },
            })
        {
            await alias.ExecuteNonQueryAsync(cancellationToken);
        }

        var weeks = new List<DateOnly>();
        if (moves.Count > 0)
        {
            var raw = moves.Select(m => m.RawText).ToArray();
            var to = moves.Select(m => m.To).ToArray();
            foreach (var table in new[] { "week_rows", "businesses" })
            {
                await using var update = new NpgsqlCommand($"""
                    UPDATE {table} t SET category_code = m.code
                    FROM unnest($1::text[], $2::text[]) AS m (raw, code)
                    WHERE t.category_raw = m.raw AND t.category_code <> m.code
                    """, connection, transaction);
                update.Parameters.Add(new() { Value = raw });
                update.Parameters.Add(new() { Value = to });
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var affected = new NpgsqlCommand(
                "SELECT DISTINCT week_start FROM week_rows WHERE category_raw = ANY($1) ORDER BY week_start", connection, transaction))
            {
                affected.Parameters.Add(new() { Value = raw });
                await using var reader = await affected.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                    weeks.Add(reader.GetFieldValue<DateOnly>(0));
            }
            foreach (var week in weeks)
            {
                await WeekDerivation.RecountAsync(connection, transaction, week, cancellationToken);
                await RegistryChanges.NotifyAsync(connection, transaction, week, cancellationToken);
            }
        }

        await AuditLog.WriteAsync(connection, transaction, actor, change.RemoveId is null ? "alias.add" : "alias.remove",
            $"alias \"{change.Alias}\" → {change.CategoryCode}",
            $"{moves.Sum(m => m.Rows)} stored rows re-mapped in {weeks.Count} weeks", ip, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moves;
    }

    private static async Task<IReadOnlyList<CategoryMove>> PlanAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AliasChange change, CancellationToken cancellationToken)
    {
        var aliases = new List<(string, string)>();
        await using (var command = new NpgsqlCommand("SELECT id, alias, category_code FROM category_aliases", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetInt64(0) != change.RemoveId)
                    aliases.Add((reader.GetString(1), reader.GetString(2)));
            }
        }
        if (change.RemoveId is null)
            aliases.Add((change.Alias, change.CategoryCode));
        var matcher = new CategoryMatcher(aliases);

        var moves = new List<CategoryMove>();
        await using (var command = new NpgsqlCommand("""
            SELECT category_raw, category_code, count(*)::int, count(DISTINCT week_start)::int
            FROM week_rows GROUP BY category_raw, category_code
            ORDER BY count(*) DESC, category_raw
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var raw = reader.GetString(0);
                var from = reader.GetString(1);
                var to = matcher.Match(raw) ?? "other";
                if (to != from)
                    moves.Add(new CategoryMove(raw, from, to, reader.GetInt32(2), reader.GetInt32(3)));
            }
        }
        return moves;
    }
}
