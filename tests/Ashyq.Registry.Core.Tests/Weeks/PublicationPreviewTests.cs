using Ashyq.Registry.Core.Tests.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Weeks;

/// <summary>A draft week seen as publishing would leave it, inside a transaction that keeps nothing.</summary>
public sealed class PublicationPreviewTests(PipelineFixture db) : IClassFixture<PipelineFixture>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Preview_DraftWhoseEarlierWeekWasPublishedSinceItLoaded_AppliesTheRule_AndKeepsNothing()
    {
        // Both loaded as drafts: when the second was loaded, no published week made A's streak.
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-06-28");
        await db.ImportAsync(new ExportBuilder().Row(A, "аутсайдер").Row(B, "участник").ToBytes(), "2021-07-05");
        await db.Publisher.PublishAsync(new DateOnly(2021, 6, 28), "test");
        await db.ScalarAsyncNullable("UPDATE week_rows SET status = file_status, exclusion_source = NULL WHERE week_start = '2021-07-05'");

        var seen = await PublicationPreview.ReadAsync(db.DataSource, new DateOnly(2021, 7, 5), db.Options.ExclusionWeeks, async preview =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT status || '/' || coalesce(exclusion_source, '') FROM week_rows WHERE week_start = $1 AND bin = $2",
                preview.Connection, preview.Transaction);
            command.Parameters.Add(new() { Value = preview.Week });
            command.Parameters.Add(new() { Value = A });
            return $"{preview.Status} {preview.ComparedWith:yyyy-MM-dd} {await command.ExecuteScalarAsync()}";
        }, CancellationToken.None);

        Assert.Equal("draft 2021-06-28 excluded/rule", seen);
        Assert.Equal("outsider", await db.StatusAsync("2021-07-05", A));
    }

    [Fact]
    public async Task Preview_WeekNeverLoaded_IsNull()
    {
        var seen = await PublicationPreview.ReadAsync(db.DataSource, new DateOnly(2021, 7, 5), db.Options.ExclusionWeeks,
            _ => Task.FromResult("read"), CancellationToken.None);

        Assert.Null(seen);
    }
}
