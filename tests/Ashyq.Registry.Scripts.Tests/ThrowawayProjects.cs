using System.Text.RegularExpressions;

namespace Ashyq.Registry.Scripts.Tests;

/// <summary>
/// Two throwaway test projects in a temporary folder with a space in its name, built once with the
/// same xunit packages as the repository (from the NuGet cache, no network), and every case run
/// through scripts/test-project.sh into a results folder of its own; then scripts/test-summary.sh
/// over each folder.
/// </summary>
public sealed partial class ThrowawayProjects : IAsyncLifetime
{
    public const string AllCases = "all";

    private static readonly string[] Cases = ["passing", "failing", "crashed", "clean-up", "below-minimum", "empty"];

    private readonly Dictionary<string, Shell.Result> _summaries = [];

    private string _root = "";

    public Shell.Result Summary(string name) => _summaries[name];

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("ashyq throwaway ").FullName;
        var versions = await PackageVersionsAsync();
        await WriteProjectAsync("Throwaway", versions, minimum: 2, """
            namespace Throwaway;

            public class Passing
            {
                [Fact] public void One() { }
                [Fact] public void Two() { }
            }

            public class Failing
            {
                [Fact] public void Passes() { }
                [Fact] public void Fails() => Assert.Fail("this test fails");
            }

            public class Crashes
            {
                [Fact] public void FailsFast() => Environment.FailFast("the test host crashes");
            }

            public sealed class ThrowingFixture : IDisposable
            {
                public void Dispose() => throw new InvalidOperationException("the fixture's clean-up throws");
            }

            public class CleanUpThrows(ThrowingFixture fixture) : IClassFixture<ThrowingFixture>
            {
                [Fact] public void One() => Assert.NotNull(fixture);
                [Fact] public void Two() => Assert.NotNull(fixture);
            }
            """);
        await WriteProjectAsync("Empty", versions, minimum: null, """
            namespace Empty;

            public static class NotATest
            {
                public static int Answer => 42;
            }
            """);

        var build = await Shell.RunAsync(
            """
            dotnet build "$1/Throwaway" -c Release --nologo -v quiet -clp:NoSummary >"$1/build-throwaway.log" 2>&1 & a=$!
            dotnet build "$1/Empty" -c Release --nologo -v quiet -clp:NoSummary >"$1/build-empty.log" 2>&1 & b=$!
            wait $a; ra=$?; wait $b; rb=$?
            cat "$1"/build-*.log
            [ $ra -eq 0 ] && [ $rb -eq 0 ]
            """,
            TimeSpan.FromMinutes(10), null, _root);
        Assert.True(build.ExitCode == 0, build.Output);

        // Every case at once: each is mostly a test host starting, so they overlap well.
        var run = await Shell.RunAsync(
            """
            t="$1/Throwaway/Throwaway.csproj" r="$1/results"
            scripts/test-project.sh "$t" "$r/passing" passing --filter "FullyQualifiedName~Throwaway.Passing." >"$1/passing.log" 2>&1 &
            scripts/test-project.sh "$t" "$r/failing" failing --filter "FullyQualifiedName~Throwaway.Failing." >"$1/failing.log" 2>&1 &
            scripts/test-project.sh "$t" "$r/crashed" crashed --filter "FullyQualifiedName~Throwaway.Crashes." >"$1/crashed.log" 2>&1 &
            scripts/test-project.sh "$t" "$r/clean-up" clean-up --filter "FullyQualifiedName~Throwaway.CleanUpThrows." >"$1/clean-up.log" 2>&1 &
            scripts/test-project.sh "$t" "$r/below-minimum" below-minimum --filter "FullyQualifiedName=Throwaway.Passing.One" >"$1/below-minimum.log" 2>&1 &
            scripts/test-project.sh "$1/Empty/Empty.csproj" "$r/empty" empty >"$1/empty.log" 2>&1 &
            wait
            mkdir -p "$r/all" && for c in "$r"/*/; do [ "$c" = "$r/all/" ] || cp "$c"* "$r/all/"; done
            """,
            TimeSpan.FromMinutes(10), null, _root);
        Assert.True(run.ExitCode == 0, run.Output);

        foreach (var name in Cases.Append(AllCases))
        {
            var folder = Path.Combine(_root, "results", name);
            _summaries[name] = await Shell.RunAsync("""scripts/test-summary.sh "$1" """, TimeSpan.FromMinutes(1), null, folder);
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private async Task WriteProjectAsync(string name, IReadOnlyDictionary<string, string> versions, int? minimum, string code)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var minimumLine = minimum is { } m ? $"<MinimumTestCount>{m}</MinimumTestCount>" : "";
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <IsTestProject>true</IsTestProject>
                {minimumLine}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{versions["Microsoft.NET.Test.Sdk"]}" />
                <PackageReference Include="xunit" Version="{versions["xunit"]}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{versions["xunit.runner.visualstudio"]}" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "Tests.cs"), code);
    }

    private static async Task<IReadOnlyDictionary<string, string>> PackageVersionsAsync()
    {
        var props = await File.ReadAllTextAsync(Path.Combine(Shell.RepositoryRoot, "Directory.Packages.props"));
        return PackageVersion().Matches(props).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [GeneratedRegex("""<PackageVersion Include="([^"]+)" Version="([^"]+)" />""")]
    private static partial Regex PackageVersion();
}
