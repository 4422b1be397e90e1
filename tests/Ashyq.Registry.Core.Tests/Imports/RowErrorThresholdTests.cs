using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Core.Tests.Imports;

/// <summary>
/// The share of data rows in error at which a file is refused whole (Registry:MaxRowErrorPercent, 5 by
/// default), at its very edge: exactly the limit loads, the next row over it is refused.
/// </summary>
public sealed class RowErrorThresholdTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Import_OneBadRowInTwenty_ExactlyTheLimit_Loads()
    {
        var outcome = await db.ImportAsync(Rows(good: 19, bad: 1), "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal((20, 19, 1), (outcome.RowsRead, outcome.RowsLoaded, outcome.RowsRejected));
    }

    [Fact]
    public async Task Import_TwoBadRowsInThirtyNine_JustOverTheLimit_IsRefusedWhole()
    {
        var outcome = await db.ImportAsync(Rows(good: 37, bad: 2), "2021-07-12");

        Assert.Equal(ImportStates.Failed, outcome.State);
        Assert.Equal(2, outcome.RowsRejected);
        Assert.Contains("2 of 39 data rows (", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows"));
    }

    [Fact]
    public async Task Import_TwoBadRowsInForty_ExactlyTheLimit_Loads()
    {
        var outcome = await db.ImportAsync(Rows(good: 38, bad: 2), "2021-07-12");

        Assert.Equal(ImportStates.Loaded, outcome.State);
        Assert.Equal((38, 2), (outcome.RowsLoaded, outcome.RowsRejected));
    }

    [Fact]
    public async Task Import_RepeatedBinWithDifferentRows_CountsTowardsTheShare()
    {
        // Two rows for one BIN that disagree are both rejected: 2 of 39, over the limit, with no other error.
        var builder = new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").Row(ExportBuilder.BinFor(1), "аутсайдер");
        for (var i = 10; i < 47; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");

        var outcome = await db.ImportAsync(builder.ToBytes(), "2021-07-12");

        Assert.Equal(ImportStates.Failed, outcome.State);
        Assert.Equal(2, outcome.RowsRejected);
        Assert.Contains("2 of 39 data rows", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM week_rows"));
    }

    /// <summary>GOOD valid rows and BAD rows with a negative scan count (a row error), BINs all different.</summary>
    internal static byte[] Rows(int good, int bad)
    {
        var builder = new ExportBuilder();
        for (var i = 1; i <= good; i++)
            builder.Row(ExportBuilder.BinFor(i), "участник");
        for (var i = 1; i <= bad; i++)
            builder.Row(ExportBuilder.BinFor(1000 + i), "участник", scans: -5);
        return builder.ToBytes();
    }
}

/// <summary>Another value of the setting, on a pipeline of this class's own (no shared fixture is changed).</summary>
public sealed class RowErrorThresholdSettingTests : IAsyncLifetime
{
    private readonly PipelineFixture _db = new();

    public async Task InitializeAsync()
    {
        _db.Options.MaxRowErrorPercent = 10;
        await _db.InitializeAsync();
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Import_TenPercentSetting_TwoBadRowsInTwentyLoad_ThreeInTwentyNineAreRefused()
    {
        var atLimit = await _db.ImportAsync(RowErrorThresholdTests.Rows(good: 18, bad: 2), "2021-07-12");
        var overLimit = await _db.ImportAsync(RowErrorThresholdTests.Rows(good: 26, bad: 3), "2021-07-19");

        Assert.Equal(ImportStates.Loaded, atLimit.State);
        Assert.Equal(ImportStates.Failed, overLimit.State);
        Assert.Contains("3 of 29 data rows (", overLimit.Error, StringComparison.Ordinal);
        Assert.Contains("more than 10%", overLimit.Error, StringComparison.Ordinal);
    }
}
