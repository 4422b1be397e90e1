using Ashyq.Registry.Core.Demo;
using Ashyq.Registry.Core.Tests.Imports;

namespace Ashyq.Registry.Core.Tests.Demo;

/// <summary>The demo files, through the real readers, pipeline and rule, give the press conference's figures.</summary>
public sealed class DemoSeedTests(PipelineFixture db) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task SeedDemo_ThroughThePipeline_PublishesThePressConferenceFigures()
    {
        await db.ResetAsync();
        var seeder = new DemoSeeder(db.DataSource, db.Imports, db.Publisher);

        var outcomes = await seeder.SeedAsync();

        Assert.Equal(7, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(0, o.RowsRejected));
        Assert.Equal(7L, await db.ScalarAsync<long>("SELECT count(*) FROM weeks WHERE status = 'published'"));
        Assert.Equal(1700, await db.ScalarAsync<int>("SELECT participants FROM weeks WHERE week_start = '2021-06-07'"));
        const string final = "SELECT {0} FROM weeks WHERE week_start = '2021-07-19'";
        Assert.Equal(6419, await db.ScalarAsync<int>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "participants")));
        Assert.Equal(152, await db.ScalarAsync<int>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "leaders")));
        Assert.True(await db.ScalarAsync<int>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "outsiders")) > 900);
        Assert.Equal(61, await db.ScalarAsync<int>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "excluded")));
        Assert.Equal(61, await db.ScalarAsync<int>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "excluded_by_rule")));
        Assert.Equal(170L, await db.ScalarAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, final, "flagged_visitors")));
        foreach (var (code, participants) in DemoExportGenerator.FinalCategories)
        {
            Assert.Equal(participants, await db.ScalarAsync<int>(
                "SELECT participants FROM week_counts WHERE week_start = '2021-07-19' AND dimension = 'category' AND code = $1", code));
        }
        for (var week = 0; week < DemoExportGenerator.WeekCount; week++)
        {
            var start = DemoExportGenerator.WeekStart(week);
            Assert.Equal(DemoExportGenerator.PublishedAt(start).UtcDateTime, await db.ScalarAsync<DateTime>(
                "SELECT published_at FROM weeks WHERE week_start = $1", start));
        }
        // Most of the final week's leaders led the week before too.
        Assert.InRange(await db.ScalarAsync<long>("""
            SELECT count(*) FROM week_rows f JOIN week_rows b ON b.bin = f.bin AND b.week_start = '2021-07-12'
            WHERE f.week_start = '2021-07-19' AND f.status = 'leader' AND b.status = 'leader'
            """), 114, 151);
        Assert.False(await seeder.IsEmptyAsync());
    }
}
