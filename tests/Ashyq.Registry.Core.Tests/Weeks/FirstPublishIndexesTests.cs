using Ashyq.Registry.Core.Tests.Imports;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Core.Tests.Weeks;

/// <summary>
/// The first publish fills the public tables with their secondary indexes set aside and builds them after
/// the insert: afterwards the indexes are the ones the migrations made, and they answer; later publishes,
/// into tables that hold rows, leave the indexes where they are.
/// </summary>
public sealed class FirstPublishIndexesTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private const string Definitions = """
        SELECT string_agg(indexname || ': ' || indexdef, E'\n' ORDER BY indexname) FROM pg_indexes
        WHERE schemaname = 'public' AND tablename IN ('businesses', 'business_weeks')
        """;

    private const string Identities = """
        SELECT string_agg(c.relname || ' ' || c.oid, ',' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid IN ('businesses'::regclass, 'business_weeks'::regclass)
        """;

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FirstPublish_BuildsTheIndexesTheMigrationsDefine_AndALaterPublishKeepsThem()
    {
        var migrated = await db.ScalarAsync<string>(Definitions);
        Assert.Contains("ix_businesses_search_trgm", migrated, StringComparison.Ordinal);
        Assert.Contains("ix_business_weeks_week", migrated, StringComparison.Ordinal);
        var identitiesBefore = await db.ScalarAsync<string>(Identities);

        await db.ImportAsync(new ExportBuilder()
            .Row(ExportBuilder.BinFor(1), "лидер", name: "ТОО «Сауле»")
            .Row(ExportBuilder.BinFor(2), "участник", name: "ТОО «Береке»").ToBytes(), "2021-06-28", publish: true);

        Assert.Equal(migrated, await db.ScalarAsync<string>(Definitions));
        var identitiesAfterFirst = await db.ScalarAsync<string>(Identities);
        Assert.NotEqual(identitiesBefore, identitiesAfterFirst);
        // Built again with the rows in: the search index finds the business, and every index is valid.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_index WHERE indrelid IN ('businesses'::regclass, 'business_weeks'::regclass) AND NOT (indisvalid AND indisready)"));
        Assert.Equal(ExportBuilder.BinFor(2), await db.ScalarAsync<string>(
            "SELECT bin FROM businesses WHERE lower(name || ' ' || coalesce(address, '')) LIKE '%береке%'"));

        await db.ImportAsync(new ExportBuilder()
            .Row(ExportBuilder.BinFor(1), "лидер", name: "ТОО «Сауле»")
            .Row(ExportBuilder.BinFor(3), "участник", name: "ТОО «Жаңа»").ToBytes(), "2021-07-05", publish: true);

        Assert.Equal(identitiesAfterFirst, await db.ScalarAsync<string>(Identities));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM businesses"));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM business_weeks"));
    }
}
