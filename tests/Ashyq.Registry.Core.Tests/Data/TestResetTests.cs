using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Data;

/// <summary>The reset between tests empties what a test wrote, in any table, and keeps what the migrations seeded.</summary>
public sealed class TestResetTests
{
    [Fact]
    public async Task Reset_EmptiesATableAddedAfterTheFirstReset_AndRestartsItsIdentity()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("reset");
        await TestCluster.ResetAsync(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            CREATE TABLE scratch_notes (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL);
            INSERT INTO scratch_notes (note) VALUES ('first'), ('second');
            """);

        await TestCluster.ResetAsync(connectionString);

        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM scratch_notes"));
        Assert.Equal(1, await ScalarAsync<int>(connection, "INSERT INTO scratch_notes (note) VALUES ('after') RETURNING id"));
    }

    [Fact]
    public async Task Reset_KeepsSeededReferenceData_AndDeletesWhatTestsAdded()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("reset");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string seeded = """
            SELECT format('%s migrations, %s categories, %s districts, %s built-in aliases, %s roles, %s job store versions',
                (SELECT count(*) FROM schema_migrations), (SELECT count(*) FROM categories), (SELECT count(*) FROM districts),
                (SELECT count(*) FROM category_aliases WHERE is_builtin), (SELECT count(*) FROM staff_roles), (SELECT count(*) FROM hangfire.schema))
            """;
        var before = await ScalarAsync<string>(connection, seeded);
        Assert.True(await ScalarAsync<bool>(connection, """
            SELECT (SELECT count(*) FROM categories) > 0 AND (SELECT count(*) FROM districts) > 0
               AND (SELECT count(*) FROM category_aliases) > 0 AND (SELECT count(*) FROM staff_roles) > 0
            """));
        var category = await ScalarAsync<string>(connection, "SELECT code FROM categories ORDER BY code LIMIT 1");
        await ExecuteAsync(connection, $"INSERT INTO category_aliases (alias, category_code, is_builtin) VALUES ('added by staff', '{category}', false)");

        await TestCluster.ResetAsync(connectionString);

        Assert.Equal(before, await ScalarAsync<string>(connection, seeded));
        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM category_aliases WHERE NOT is_builtin"));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
