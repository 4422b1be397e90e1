using Ashyq.Registry.Core.Tests.Imports;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Core.Tests.Weeks;

/// <summary>
/// Publishing and withdrawing write only what they change: a row whose outcome stands keeps its row
/// version (its xmin), so that a national week in which little changed does not rewrite millions of rows.
/// </summary>
public sealed class PublishWritesTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);
    private static readonly string C = ExportBuilder.BinFor(3);
    private static readonly DateOnly First = new(2021, 6, 28);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publish_WeekWhoseRuleOutcomeStandsSinceTheLoad_RewritesNoneOfItsRows()
    {
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-06-28", publish: true);
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-05");
        var before = await VersionAsync("SELECT string_agg(xmin::text, ',' ORDER BY bin) FROM week_rows WHERE week_start = '2021-07-05'");

        await db.Publisher.PublishAsync(new DateOnly(2021, 7, 5), "staff");

        Assert.Equal(before, await VersionAsync("SELECT string_agg(xmin::text, ',' ORDER BY bin) FROM week_rows WHERE week_start = '2021-07-05'"));
        Assert.Equal("excluded", await db.StatusAsync("2021-07-05", A));
        Assert.Equal("rule", await db.ScalarAsync<string>("SELECT exclusion_source FROM week_rows WHERE week_start = '2021-07-05' AND bin = $1", A));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT excluded_by_rule FROM weeks WHERE week_start = '2021-07-05'"));
        Assert.Equal("excluded", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE week_start = '2021-07-05' AND bin = $1", A));
    }

    [Fact]
    public async Task Withdraw_FirstOfThreeWeeks_RewritesOnlyWhatTheRuleChangedInTheLaterWeeks()
    {
        // A is an outsider every week (excluded by the rule in the second and third); B a leader every
        // week; C is listed from the second week on, so the first week's withdrawal changes nothing of it.
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "лидер").ToBytes(), "2021-06-28", publish: true);
        foreach (var week in new[] { "2021-07-05", "2021-07-12" })
            await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "лидер").Row(C, "лидер").ToBytes(), week, publish: true);
        const string history = "SELECT string_agg(bin || ' ' || week_start || ' ' || xmin::text, ',' ORDER BY bin, week_start) FROM business_weeks WHERE NOT (bin = $1 AND week_start = '2021-07-05') AND week_start > $2";
        var historyBefore = await VersionAsync(history, A, First);
        var businessBefore = await VersionAsync("SELECT xmin::text FROM businesses WHERE bin = $1", C);
        var thirdWeekBefore = await VersionAsync("SELECT string_agg(xmin::text, ',' ORDER BY bin) FROM week_rows WHERE week_start = '2021-07-12'");

        await db.Publisher.WithdrawAsync(First, "staff", "Wrong file");

        Assert.Equal(historyBefore, await VersionAsync(history, A, First));
        Assert.Equal(businessBefore, await VersionAsync("SELECT xmin::text FROM businesses WHERE bin = $1", C));
        Assert.Equal(thirdWeekBefore, await VersionAsync("SELECT string_agg(xmin::text, ',' ORDER BY bin) FROM week_rows WHERE week_start = '2021-07-12'"));
        // What the rule did change is in every place that shows it.
        Assert.Equal("outsider", await db.StatusAsync("2021-07-05", A));
        Assert.Equal("outsider", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE week_start = '2021-07-05' AND bin = $1", A));
        Assert.Null(await db.ScalarAsyncNullable("SELECT exclusion_source FROM business_weeks WHERE week_start = '2021-07-05' AND bin = $1", A));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT outsiders FROM weeks WHERE week_start = '2021-07-05'"));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT excluded_by_rule FROM weeks WHERE week_start = '2021-07-05'"));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT excluded_by_rule FROM weeks WHERE week_start = '2021-07-12'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM business_weeks WHERE week_start = $1", First));
        Assert.Equal(new DateOnly(2021, 7, 5), await db.ScalarAsync<DateOnly>("SELECT first_listed_week FROM businesses WHERE bin = $1", B));
        Assert.Equal("excluded", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
    }

    [Fact]
    public async Task Publish_WeekThatSaysNothingNewOfABusiness_LeavesItsRowAsItWas()
    {
        // The second week repeats the first; the third changes A's status, which is a week's own fact
        // (kept in business_weeks), and C's district, which describes the business.
        var week = new ExportBuilder().Row(A, "лидер").Row(B, "аутсайдер").Row(C, "участник");
        await db.ImportAsync(week.ToBytes(), "2021-06-28", publish: true);
        const string rows = "SELECT string_agg(bin || ' ' || xmin::text, ',' ORDER BY bin) FROM businesses WHERE bin = ANY($1)";
        var before = await VersionAsync(rows, (object)new[] { A, B, C });

        await db.ImportAsync(week.ToBytes(), "2021-07-05", publish: true);
        Assert.Equal(before, await VersionAsync(rows, (object)new[] { A, B, C }));

        var unchanged = await VersionAsync(rows, (object)new[] { A, B });
        var moved = await VersionAsync(rows, (object)new[] { C });
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "аутсайдер").Row(C, "участник", district: "Медеуский").ToBytes(),
            "2021-07-12", publish: true);

        Assert.Equal(unchanged, await VersionAsync(rows, (object)new[] { A, B }));
        Assert.NotEqual(moved, await VersionAsync(rows, (object)new[] { C }));
        Assert.Equal("medeu", await db.ScalarAsync<string>("SELECT district_code FROM businesses WHERE bin = $1", C));
        Assert.Equal(First, await db.ScalarAsync<DateOnly>("SELECT first_listed_week FROM businesses WHERE bin = $1", A));
        Assert.Equal("outsider", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
    }

    private async Task<string> VersionAsync(string sql, params object[] parameters) =>
        (string?)await db.ScalarAsyncNullable(sql, parameters) ?? throw new InvalidOperationException($"No rows for: {sql}");
}
