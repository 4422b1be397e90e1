namespace Ashyq.Registry.Scripts.Tests;

/// <summary>
/// test.sh's closing line, from real results: two small throwaway test projects are built from the
/// NuGet cache and run through scripts/test-project.sh, as test.sh runs every project, and
/// scripts/test-summary.sh is read over each case's results alone.
/// </summary>
public sealed class TestSummaryTests(ThrowawayProjects projects) : IClassFixture<ThrowawayProjects>
{
    [Fact]
    public void PassingProject_CountsItsTests()
    {
        var summary = projects.Summary("passing");
        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("2 passed, 0 failed", LastLine(summary));
    }

    [Fact]
    public void FailedTest_CountsOnce()
    {
        var summary = projects.Summary("failing");
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal("1 passed, 1 failed", LastLine(summary));
    }

    [Fact]
    public void CrashedTestHost_IsAFailure()
    {
        var summary = projects.Summary("crashed");
        Assert.Equal(1, summary.ExitCode);
        // The host's results file says total="0": without the exit code this read "0 passed, 0 failed".
        Assert.Equal("0 passed, 1 failed", LastLine(summary));
        Assert.Contains("crashed failed: dotnet test exited 1 with no failed test reported", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void FixtureWhoseCleanUpThrows_IsAFailure()
    {
        var summary = projects.Summary("clean-up");
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal("2 passed, 1 failed", LastLine(summary));
        Assert.Contains("clean-up failed: dotnet test exited 1 with no failed test reported", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectWithNoTests_IsAFailure()
    {
        var summary = projects.Summary("empty");
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal("0 passed, 1 failed", LastLine(summary));
        Assert.Contains("empty failed: it ran 0 tests, fewer than its minimum of 1", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectBelowItsStatedMinimum_IsAFailure()
    {
        // The throwaway project states <MinimumTestCount>2</MinimumTestCount>; this run filters it to one test.
        var summary = projects.Summary("below-minimum");
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal("1 passed, 1 failed", LastLine(summary));
        Assert.Contains("below-minimum failed: it ran 1 tests, fewer than its minimum of 2", summary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AllCasesTogether_AddUp()
    {
        var summary = projects.Summary(ThrowawayProjects.AllCases);
        Assert.Equal(1, summary.ExitCode);
        // Passed: passing 2, failing 1, clean-up 2, below-minimum 1. Failed: one for each other project.
        Assert.Equal("6 passed, 5 failed", LastLine(summary));
    }

    private static string LastLine(Shell.Result result) =>
        result.Output.TrimEnd().Split('\n')[^1].Trim();
}
