using Npgsql;

namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// The first publish fills <c>businesses</c> and <c>business_weeks</c> from nothing, a row for every business
/// at once. Keeping their secondary indexes (the trigram indexes of names and addresses above all) up to date
/// row by row then costs several times building them once the rows are in, so while such a table is empty
/// they are set aside for the insert and built again from their own definitions, read from the catalogue
/// (the migrations stay the one place that says what they are). Primary keys and unique indexes stay, since
/// the inserts rely on them. Dropping an index locks its table until the transaction ends; the table was
/// empty, so a reader waiting for it would have found nothing, and after the commit finds the whole week.
/// </summary>
public sealed class SecondaryIndexes
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly IReadOnlyList<string> definitions;

    private SecondaryIndexes(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> definitions)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.definitions = definitions;
    }

    /// <summary>
    /// When <paramref name="table"/> holds no row, drops its secondary indexes and returns what builds them
    /// again; otherwise changes nothing. <see cref="RestoreAsync"/> must be called once the rows are in, in the same transaction (a rollback undoes both).
    /// </summary>
    public static async Task<SecondaryIndexes> SetAsideWhenEmptyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var definitions = new List<string>();
        await using (var find = new NpgsqlCommand($"""
            SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i
            WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM {table})
            ORDER BY 2
            """, connection, transaction))
        {
            find.Parameters.Add(new() { Value = table });
            var names = new List<string>();
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    definitions.Add(reader.GetString(0));
                    names.Add(reader.GetString(1));
                }
            }
            foreach (var name in names)
                await WeekDerivation.ExecuteAsync(connection, transaction, $"DROP INDEX {name}", cancellationToken);
        }
        return new SecondaryIndexes(connection, transaction, definitions);
    }

    /// <summary>Builds the indexes set aside again, as they were defined.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        foreach (var definition in definitions)
            await WeekDerivation.ExecuteAsync(connection, transaction, definition, cancellationToken);
    }
}
