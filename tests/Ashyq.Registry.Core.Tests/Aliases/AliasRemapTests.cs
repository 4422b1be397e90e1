using Ashyq.Registry.Core.Aliases;
using Ashyq.Registry.Core.Tests.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Aliases;

/// <summary>An alias change re-maps the rows already stored: planned without a change, applied in one transaction.</summary>
public sealed class AliasRemapTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Week = "2021-08-02";

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Plan_NewAlias_ListsTheTextsThatMove_AndChangesNothing()
    {
        await db.ImportAsync(Export(), Week, publish: true);

        var moves = await AliasRemap.PlanAsync(db.DataSource, new AliasChange(null, "баня", "leisure"), CancellationToken.None);

        var bath = Assert.Single(moves);
        Assert.Equal(("Баня", "other", "leisure", 2, 1), (bath.RawText, bath.From, bath.To, bath.Rows, bath.Weeks));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE category_code = 'leisure'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM category_aliases WHERE alias = 'баня'"));
    }

    [Fact]
    public async Task Apply_NewAlias_RemapsRowsAndBusinesses_RecountsTheWeek_Audits_AndNotifiesTheNodes()
    {
        await db.ImportAsync(Export(), Week, publish: true);
        await using var listener = await db.DataSource.OpenConnectionAsync();
        var notified = new List<string>();
        listener.Notification += (_, e) => notified.Add(e.Payload);
        await using (var listen = new NpgsqlCommand(RegistryChanges.ListenSql, listener))
            await listen.ExecuteNonQueryAsync();

        var moves = await AliasRemap.ApplyAsync(db.DataSource, new AliasChange(null, "баня", "leisure"), "admin", null, CancellationToken.None);
        await listener.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Single(moves);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE category_code = 'leisure'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM businesses WHERE category_code = 'leisure'"));
        Assert.Equal(2, await db.ScalarAsync<int>(
            $"SELECT participants FROM week_counts WHERE week_start = '{Week}' AND dimension = 'category' AND code = 'leisure'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'alias.add' AND actor = 'admin'"));
        Assert.Equal([Week], notified);
    }

    [Fact]
    public async Task Apply_RemovingTheAlias_MovesTheRowsBack()
    {
        await db.ImportAsync(Export(), Week, publish: true);
        await AliasRemap.ApplyAsync(db.DataSource, new AliasChange(null, "баня", "leisure"), "admin", null, CancellationToken.None);
        var id = await db.ScalarAsync<long>("SELECT id FROM category_aliases WHERE alias = 'баня'");

        var moves = await AliasRemap.ApplyAsync(db.DataSource, new AliasChange(id, "баня", "leisure"), "admin", null, CancellationToken.None);

        Assert.Equal("other", Assert.Single(moves).To);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows WHERE category_code = 'leisure'"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM week_counts WHERE week_start = '{Week}' AND dimension = 'category' AND code = 'leisure'"));
    }

    private static byte[] Export()
    {
        var export = new ExportBuilder()
            .Row(ExportBuilder.BinFor(1), "участник", category: "Баня")
            .Row(ExportBuilder.BinFor(2), "лидер", category: "Баня");
        for (var n = 10; n < 15; n++)
            export.Row(ExportBuilder.BinFor(n), "участник");
        return export.ToBytes();
    }
}
