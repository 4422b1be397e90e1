using System.IO.Compression;
using Ashyq.Registry.Core.Demo;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Tests.Demo;

public sealed class DemoExportGeneratorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ashyq-demo-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void WriteAll_Twice_WritesTheSameBytes()
    {
        var first = DemoExportGenerator.WriteAll(Path.Combine(_folder, "a"));
        var second = DemoExportGenerator.WriteAll(Path.Combine(_folder, "b"));

        Assert.Equal(7, first.Count);
        Assert.Equal(first.Select(e => e.WeekStart), second.Select(e => e.WeekStart));
        foreach (var (a, b) in first.Zip(second))
            Assert.True(File.ReadAllBytes(a.Path).AsSpan().SequenceEqual(File.ReadAllBytes(b.Path)), $"{a.Path} differs");
    }

    [Fact]
    public void WriteAll_Workbooks_CarryAFixedTimestampRatherThanTheClock()
    {
        var exports = DemoExportGenerator.WriteAll(_folder);

        var workbook = exports.First(e => e.Path.EndsWith(".xlsx", StringComparison.Ordinal));
        using var zip = ZipFile.OpenRead(workbook.Path);
        Assert.All(zip.Entries, entry => Assert.Equal(1980, entry.LastWriteTime.Year));
    }

    [Fact]
    public void WriteAll_WeeklyFromJuneSeventhToJulyNineteenth_InEveryDialect()
    {
        var exports = DemoExportGenerator.WriteAll(_folder);

        Assert.Equal(
            [new(2021, 6, 7), new(2021, 6, 14), new(2021, 6, 21), new(2021, 6, 28), new(2021, 7, 5), new(2021, 7, 12), new DateOnly(2021, 7, 19)],
            exports.Select(e => e.WeekStart));
        var names = exports.Select(e => Path.GetFileName(e.Path)).ToList();
        Assert.Contains(names, n => n.EndsWith("ru-cp1251.csv", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("kk-utf8bom.csv", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("en.xlsx", StringComparison.Ordinal));
        Assert.Equal("week-2021-07-19-ru-cp1251.csv", names[^1]);
    }

    [Fact]
    public void FinalWeek_ReadFromTheFilesWithTheTwoWeekRule_GivesThePressConferenceFigures()
    {
        var weeks = DemoExportGenerator.WriteAll(_folder).Select(e => ExportFileOracle.Read(e.Path)).ToList();

        var final = Derive(weeks)[^1];

        Assert.Equal(6419, final.Participants);
        Assert.Equal(152, final.Leaders);
        Assert.True(final.Outsiders > 900, $"{final.Outsiders} outsiders");
        Assert.Equal(61, final.ExcludedByRule);
        Assert.Equal(0, final.ExcludedByFile);
        Assert.Equal(170, final.FlaggedVisitors);
        Assert.Equal(2242, final.Categories["catering"]);
        Assert.Equal(1117, final.Categories["markets"]);
        Assert.Equal(835, final.Categories["beauty"]);
        Assert.Equal(491, final.Categories["children"]);
        Assert.Equal(426, final.Categories["fitness"]);
        Assert.True(final.Categories["hotels"] < 426);
        Assert.True(final.Categories["leisure"] < 426);
        Assert.Equal(6419, final.Categories.Values.Sum());
    }

    [Fact]
    public void EarlierWeeks_FromTheFiles_GrowFromSeventeenHundredWithExclusionsOfBothKinds()
    {
        var weeks = DemoExportGenerator.WriteAll(_folder).Select(e => ExportFileOracle.Read(e.Path)).ToList();

        var derived = Derive(weeks);

        Assert.Equal(1700, derived[0].Participants);
        Assert.Equal(DemoExportGenerator.Participants, derived.Select(d => d.Participants));
        Assert.All(derived, d => Assert.True(d.Leaders > 0 && d.Outsiders > 0));
        Assert.All(derived.Take(6), d => Assert.True(d.ExcludedByFile > 0));
        Assert.All(derived.Skip(1).Take(5), d => Assert.True(d.ExcludedByRule > 0));
        Assert.All(derived.Take(6), d => Assert.InRange(d.FlaggedVisitors, 1, 60));
        Assert.All(weeks.SelectMany(w => w).Where(r => r.Status == BusinessStatus.Excluded),
            r => Assert.False(string.IsNullOrEmpty(r.Reason)));
    }

    [Fact]
    public void Businesses_AcrossWeeks_KeepTheirBinAndNameAndSomeAreReadmittedOrLeave()
    {
        var weeks = DemoExportGenerator.WriteAll(_folder).Select(e => ExportFileOracle.Read(e.Path)).ToList();
        var derived = Derive(weeks);

        var names = weeks.SelectMany(w => w).GroupBy(r => r.Bin).ToList();
        Assert.All(names, g => Assert.Single(g.Select(r => r.Name).Distinct()));
        Assert.All(names.Select(g => g.First().Name), n => Assert.Contains("Демо-", n, StringComparison.Ordinal));

        var readmitted = 0;
        var departed = 0;
        for (var week = 1; week < weeks.Count; week++)
        {
            var listed = weeks[week].ToDictionary(r => r.Bin);
            readmitted += derived[week - 1].ExcludedBins.Count(bin => listed.TryGetValue(bin, out var row) && row.Status != BusinessStatus.Excluded);
            departed += weeks[week - 1].Count(r => !listed.ContainsKey(r.Bin));
        }
        Assert.True(readmitted >= 5, $"{readmitted} readmissions");
        var everExcluded = derived.SkipLast(1).SelectMany(d => d.ExcludedBins).ToHashSet();
        Assert.DoesNotContain(weeks[^1], r => everExcluded.Contains(r.Bin) && r.Status == BusinessStatus.Outsider);
        Assert.True(departed >= 100, $"{departed} departures");
    }

    [Fact]
    public void Leaders_FromTheFiles_KeepTheirStandingFromWeekToWeekWithSomeMovement()
    {
        var weeks = DemoExportGenerator.WriteAll(_folder).Select(e => ExportFileOracle.Read(e.Path)).ToList();
        var leaders = weeks.Select(w => w.Where(r => r.Status == BusinessStatus.Leader).Select(r => r.Bin).ToHashSet()).ToList();

        for (var week = 1; week < weeks.Count; week++)
        {
            var stayed = leaders[week].Count(leaders[week - 1].Contains);
            var arrived = leaders[week].Count - stayed;
            var droppedBack = leaders[week - 1].Count - stayed;
            Assert.True(arrived <= leaders[week].Count / 4, $"week {week}: {arrived} of {leaders[week].Count} leaders are new");
            Assert.True(arrived > 0 && droppedBack > 0, $"week {week}: {arrived} new leaders, {droppedBack} no longer leading");
        }
    }

    [Fact]
    public void PublishedAt_IsTheMondayAfterTheWeekEnds()
    {
        var published = DemoExportGenerator.PublishedAt(new DateOnly(2021, 7, 19));

        Assert.Equal(new DateTimeOffset(2021, 7, 26, 4, 0, 0, TimeSpan.Zero), published);
        Assert.Equal(DayOfWeek.Monday, published.DayOfWeek);
    }

    [Fact]
    public void BuildWeeks_MatchesTheRowsWrittenToTheFiles()
    {
        var model = DemoExportGenerator.BuildWeeks();
        var files = DemoExportGenerator.WriteAll(_folder).Select(e => ExportFileOracle.Read(e.Path)).ToList();

        Assert.Equal(7, model.Count);
        Assert.Equal(model.Count, files.Count);
        foreach (var (week, rows) in model.Zip(files))
        {
            Assert.Equal(week.Rows.Select(r => (r.Bin, r.Status, r.FlaggedVisitors)), rows.Select(r => (r.Bin, r.Status, r.FlaggedVisitors)));
            Assert.Equal(week.Rows.Select(r => ExportFileOracle.Categorise(r.CategoryText)), rows.Select(r => r.CategoryCode));
        }
    }

    private sealed record WeekFigures(
        int Participants,
        int Leaders,
        int Outsiders,
        int ExcludedByFile,
        int ExcludedByRule,
        int FlaggedVisitors,
        Dictionary<string, int> Categories,
        HashSet<string> ExcludedBins);

    // What the registry derives, week by week with every earlier week published: the rule looks at the
    // file status of the week before.
    private static List<WeekFigures> Derive(List<List<OracleRow>> weeks)
    {
        var figures = new List<WeekFigures>();
        HashSet<string> previousOutsiders = [];
        foreach (var rows in weeks)
        {
            var byRule = rows.Where(r => r.Status == BusinessStatus.Outsider && previousOutsiders.Contains(r.Bin)).ToList();
            var byFile = rows.Where(r => r.Status == BusinessStatus.Excluded).ToList();
            var excluded = byRule.Concat(byFile).Select(r => r.Bin).ToHashSet();
            var participants = rows.Where(r => !excluded.Contains(r.Bin)).ToList();
            figures.Add(new WeekFigures(
                participants.Count,
                participants.Count(r => r.Status == BusinessStatus.Leader),
                participants.Count(r => r.Status == BusinessStatus.Outsider),
                byFile.Count,
                byRule.Count,
                rows.Sum(r => r.FlaggedVisitors),
                participants.GroupBy(r => r.CategoryCode).ToDictionary(g => g.Key, g => g.Count()),
                excluded));
            previousOutsiders = rows.Where(r => r.Status == BusinessStatus.Outsider).Select(r => r.Bin).ToHashSet();
        }
        return figures;
    }
}
