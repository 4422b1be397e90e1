using System.Data;
using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>The week being previewed, with the transaction in which it looks as publishing would leave it.</summary>
public sealed record PreviewedWeek(NpgsqlConnection Connection, NpgsqlTransaction Transaction, DateOnly Week, string Status, DateOnly? ComparedWith)
{
    /// <summary>Where the week's rows as previewed are read from: <c>week_rows</c>, or a replacement's table of its own.</summary>
    public string Rows { get; init; } = "week_rows";
}

/// <summary>
/// A week as publishing it would leave it, for staff to review before they publish: inside a
/// repeatable-read transaction that is rolled back, a week not yet published has the exclusion rule
/// applied as publishing would apply it (the published weeks may have changed since it was loaded), and
/// the latest published week before it is found to compare it with. Nothing of it is kept.
/// </summary>
public static class PublicationPreview
{
    /// <summary>Runs <paramref name="read"/> inside the preview; null when the week was never loaded.</summary>
    public static async Task<T?> ReadAsync<T>(
        NpgsqlDataSource dataSource, DateOnly week, int exclusionWeeks, Func<PreviewedWeek, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        string? status;
        await using (var find = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            status = (string?)await find.ExecuteScalarAsync(cancellationToken);
        }
        if (status is null)
            return null;
        if (status != WeekStatuses.Published)
            await WeekDerivation.ApplyExclusionRuleAsync(connection, transaction, week, exclusionWeeks, cancellationToken);

        DateOnly? previous;
        await using (var find = new NpgsqlCommand(
            $"SELECT max(week_start) FROM weeks WHERE status = '{WeekStatuses.Published}' AND week_start < $1", connection, transaction))
        {
            find.Parameters.Add(new() { Value = week });
            previous = await find.ExecuteScalarAsync(cancellationToken) is DateOnly found ? found : null;
        }

        var result = await read(new PreviewedWeek(connection, transaction, week, status, previous));
        await transaction.RollbackAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a published week's waiting replacement as publishing it would leave
    /// it (the rule applied to its rows afresh), compared with the published version of the same week.
    /// Null when the replacement is gone by now (discarded, or published by someone else).
    /// </summary>
    public static async Task<T?> ReadReplacementAsync<T>(
        NpgsqlDataSource dataSource, PendingReplacement replacement, int exclusionWeeks, Func<PreviewedWeek, Task<T>> read,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(replacement);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            await WeekDerivation.ExecuteAsync(connection, transaction,
                $"UPDATE {replacement.Rows} SET status = file_status, exclusion_source = NULL WHERE exclusion_source = 'rule'", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
        await WeekDerivation.ApplyExclusionRuleToNewRowsAsync(connection, transaction, replacement.Rows, replacement.Week, exclusionWeeks, cancellationToken);
        var result = await read(new PreviewedWeek(connection, transaction, replacement.Week, WeekStatuses.Published, replacement.Week)
        {
            Rows = replacement.Rows,
        });
        await transaction.RollbackAsync(cancellationToken);
        return result;
    }
}
