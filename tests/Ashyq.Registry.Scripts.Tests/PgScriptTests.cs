using System.Globalization;

namespace Ashyq.Registry.Scripts.Tests;

/// <summary>scripts/pg.sh, which run.sh, test.sh and the tests use for their private clusters.</summary>
public sealed class PgScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Cluster_StartsAndIsDropped_UnderAFolderOthersCannotEnter_WithASpaceInItsPath()
    {
        var checkout = Shell.PrivateFolder("a checkout");
        var data = Path.Combine(checkout, ".test-data", "cluster 1", "data");
        var port = Shell.FreePort();
        try
        {
            var start = await Shell.RunAsync(
                """source scripts/pg.sh && pg_cluster_start "$1" "$2" && psql -h 127.0.0.1 -p "$2" -U ashyq -d postgres -tAc 'SELECT 40 + 2'""",
                Timeout, null, data, port.ToString(CultureInfo.InvariantCulture));
            Assert.True(start.ExitCode == 0, start.Output);
            Assert.Contains("42", start.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "PG_VERSION")), "the cluster's files are reached through the requested path");
            Assert.True(File.Exists(Path.Combine(data, "server.log")), "the server's log is reached through the requested path");

            // A second start of the same path finds the same running cluster; a stop and start keeps its data.
            var again = await Shell.RunAsync(
                """
                source scripts/pg.sh && pg_cluster_start "$1" "$2" && pg_cluster_stop "$1" && pg_cluster_start "$1" "$2" \
                  && psql -h 127.0.0.1 -p "$2" -U ashyq -d postgres -tAc "SELECT count(*) FROM pg_database WHERE datname = 'postgres'"
                """,
                Timeout, null, data, port.ToString(CultureInfo.InvariantCulture));
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Contains("1", again.Output, StringComparison.Ordinal);

            var realDir = new DirectoryInfo(data).LinkTarget ?? data;
            var drop = await Shell.RunAsync("""source scripts/pg.sh && pg_cluster_drop "$1" """, Timeout, null, data);
            Assert.True(drop.ExitCode == 0, drop.Output);
            Assert.False(Shell.IsListening(port), "the dropped cluster still listens");
            Assert.False(Directory.Exists(realDir), $"the dropped cluster's data remains in {realDir}");
            Assert.False(Path.Exists(data), "the requested path remains");
        }
        finally
        {
            await Shell.RunAsync("""source scripts/pg.sh && pg_cluster_drop "$1" """, Timeout, null, data);
            Directory.Delete(Path.GetDirectoryName(checkout)!, recursive: true);
        }
    }
}
