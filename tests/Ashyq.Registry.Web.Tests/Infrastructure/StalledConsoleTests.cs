using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>The site as a real process whose standard output nobody reads: the console stops taking lines.</summary>
public sealed class StalledConsoleTests
{
    [Fact]
    public async Task Site_ConsoleStopsTakingLines_RequestsAreStillAnswered_AndTheDroppedLinesAreCountedInTheLog()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("logs");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll"));
        start.ArgumentList.Add($"--urls={baseUrl}");
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["Serilog__ConsoleFormat"] = "json";
        start.Environment["Serilog__ConsoleBufferSize"] = "100";
        start.WorkingDirectory = AppContext.BaseDirectory;
        using var site = Process.Start(start)!;
        var errors = site.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilLiveAsync(client);

            // Standard output is not read, so its pipe fills after some hundred lines and the console's
            // writes hang; each request still logs a line, two thousand lines in all.
            var timer = Stopwatch.StartNew();
            for (var i = 0; i < 2_000; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(60), $"2,000 requests took {timer.Elapsed}");

            // Read again, the console drains; within the reporter's interval the log says what it lost.
            var deadline = DateTime.UtcNow + DroppedLogReporterInterval + TimeSpan.FromSeconds(20);
            long? dropped = null;
            while (dropped is null && DateTime.UtcNow < deadline)
            {
                var line = await site.StandardOutput.ReadLineAsync().WaitAsync(deadline - DateTime.UtcNow);
                if (line is null)
                    break;
                using var logEvent = JsonDocument.Parse(line);
                if (logEvent.RootElement.TryGetProperty("SourceContext", out var source)
                    && source.GetString()!.EndsWith(".DroppedLogReporter", StringComparison.Ordinal))
                    dropped = logEvent.RootElement.GetProperty("Total").GetInt64();
            }
            Assert.True(dropped > 0, "No report of dropped log lines: " + await Task.WhenAny(errors, Task.Delay(1000)));
        }
        finally
        {
            site.Kill(entireProcessTree: true);
            await site.WaitForExitAsync();
        }
    }

    private static readonly TimeSpan DroppedLogReporterInterval = Ashyq.Registry.Web.Infrastructure.DroppedLogReporter.Interval;

    private static async Task WaitUntilLiveAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The site did not start within 60 s.");
            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
