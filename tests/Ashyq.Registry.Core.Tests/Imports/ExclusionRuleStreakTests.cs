using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Core.Tests.Imports;

/// <summary>
/// The exclusion rule over more weeks than its setting: a business the files keep calling an outsider
/// stays excluded (the streak is judged by what each week's file said), with N = 2 and with N = 3.
/// </summary>
public sealed class ExclusionRuleStreakTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ExclusionRule_TwoWeeksSetting_OutsiderInAThirdWeek_StaysExcludedByTheRule()
    {
        foreach (var week in new[] { "2021-06-28", "2021-07-05", "2021-07-12" })
            await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), week, publish: true);

        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM weeks WHERE status = 'published'"));
        Assert.Equal("outsider", await db.StatusAsync("2021-06-28", A));
        Assert.Equal("excluded", await db.StatusAsync("2021-07-05", A));
        Assert.Equal("excluded", await db.StatusAsync("2021-07-12", A));
        Assert.Equal("rule", await db.ScalarAsync<string>("SELECT exclusion_source FROM week_rows WHERE week_start = '2021-07-12' AND bin = $1", A));
        Assert.Equal("excluded", await db.ScalarAsync<string>("SELECT status FROM business_weeks WHERE bin = $1 ORDER BY week_start DESC LIMIT 1", A));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT participants FROM weeks WHERE week_start = '2021-07-12'"));
    }
}

/// <summary>N = 3 on a pipeline of this class's own, so that no fixture shared with other tests is changed.</summary>
public sealed class ExclusionRuleThreeWeeksTests : IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);
    private static readonly string?[] ExpectedA = ["outsider", "outsider", "excluded", "excluded", "excluded", "excluded"];
    private static readonly string?[] ExpectedB = ["outsider", "outsider", "excluded", "excluded", "participant", "outsider"];
    private readonly PipelineFixture _db = new();

    public async Task InitializeAsync()
    {
        _db.Options.ExclusionWeeks = 3;
        await _db.InitializeAsync();
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task ExclusionRule_ThreeWeeksSetting_ExcludesInTheThirdWeekAndStaysSoInTheFourth()
    {
        string[] weeks = ["2021-06-21", "2021-06-28", "2021-07-05", "2021-07-12"];
        foreach (var week in weeks)
            await _db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "аутсайдер").ToBytes(), week, publish: true);
        // B breaks its streak in a fifth week and starts again: one outsider week is not enough.
        await _db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-19", publish: true);
        await _db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "аутсайдер").ToBytes(), "2021-07-26", publish: true);

        Assert.Equal(6L, await _db.ScalarAsync<long>("SELECT count(*) FROM weeks WHERE status = 'published'"));
        Assert.Equal(ExpectedA, await StatusesAsync(A, [.. weeks, "2021-07-19", "2021-07-26"]));
        Assert.Equal(ExpectedB, await StatusesAsync(B, [.. weeks, "2021-07-19", "2021-07-26"]));
    }

    private async Task<string?[]> StatusesAsync(string bin, string[] weeks)
    {
        var statuses = new string?[weeks.Length];
        for (var i = 0; i < weeks.Length; i++)
            statuses[i] = await _db.StatusAsync(weeks[i], bin);
        return statuses;
    }
}
