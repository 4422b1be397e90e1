using System.Globalization;
using System.Text;

namespace Ashyq.Registry.Scripts.Tests;

/// <summary>run.sh as a supervisor runs it: started, asked for readiness, stopped by its process id.</summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task Term_ToRunShAlone_StopsTheSiteAndTheCluster()
    {
        // The site test.sh has just built, so that this test need not publish it again.
        var app = Path.Combine(Shell.RepositoryRoot, "src", "Ashyq.Registry.Web", "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(app, "Ashyq.Registry.Web.dll")), $"build the solution in Release first ({app})");
        var data = Shell.PrivateFolder("run data");
        int sitePort = Shell.FreePort(), pgPort = Shell.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = sitePort.ToString(CultureInfo.InvariantCulture),
            ["ASHYQ_PG_PORT"] = pgPort.ToString(CultureInfo.InvariantCulture),
            ["ASHYQ_RUN_DATA"] = data,
            ["ASHYQ_RUN_APP"] = app,
            // Empty: run.sh starts its own cluster even where a developer has named a server.
            ["ConnectionStrings__Registry"] = "",
        };
        // setsid: run.sh and all it starts form a group of their own, so that whatever this test finds
        // left behind can be ended without touching anything else.
        using var run = Shell.Start("exec setsid ./run.sh", environment);
        var output = new StringBuilder();
        run.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        run.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var ready = false;
            for (var deadline = DateTime.UtcNow.AddMinutes(6); !ready && DateTime.UtcNow < deadline && !run.HasExited;)
            {
                try
                {
                    ready = (await http.GetAsync(new Uri($"http://127.0.0.1:{sitePort}/health/ready"))).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                if (!ready)
                    await Task.Delay(500);
            }
            Assert.True(ready, $"run.sh never answered /health/ready: {Snapshot(output)}");
            Assert.True(Shell.IsListening(pgPort), "the private cluster is not listening");

            Shell.Signal(run.Id, "TERM");

            using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
            {
                try
                {
                    await run.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            Assert.True(run.HasExited, $"run.sh still runs a minute after SIGTERM: {Snapshot(output)}");
            Assert.Equal(143, run.ExitCode);
            Assert.False(Shell.IsListening(sitePort), $"the site still answers on its port after run.sh stopped: {Snapshot(output)}");
            Assert.False(Shell.IsListening(pgPort), "the private cluster still listens after run.sh stopped");
            Assert.Contains("Stopping the private PostgreSQL cluster", Snapshot(output), StringComparison.Ordinal);
        }
        finally
        {
            await Shell.RunAsync("kill -KILL -- \"-$1\" 2>/dev/null; true", TimeSpan.FromSeconds(30), null, run.Id.ToString(CultureInfo.InvariantCulture));
            await Shell.RunAsync("""source scripts/pg.sh && pg_cluster_drop "$1" """, TimeSpan.FromMinutes(1), null, Path.Combine(data, "pg"));
            Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
