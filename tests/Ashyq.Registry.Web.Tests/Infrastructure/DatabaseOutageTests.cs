using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>The site over a database that goes away and comes back, with no restart of the site.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly PrivateCluster _cluster = new();
    private RegistryNode _node = null!;
    private int _attempt;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        _node = new RegistryNode(await _cluster.CreateDatabaseAsync("outage"), RegistryNode.Unlimited, withProbes: true);
        await _node.WaitUntilListeningAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Fact]
    public async Task DatabaseDown_AnswersServiceUnavailableWithRetryAfter_AndRecoversWhenItReturns()
    {
        var client = _node.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Uncached("/api/v1/weeks"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/testing/weeks?lang=en")).StatusCode);
        // A business is read through the multiplexed data source of the public reads: it fails and recovers the same way.
        var business = $"/api/v1/businesses/{ExportBuilder.BinFor(1)}";
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Uncached(business))).StatusCode);

        await _cluster.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(Uncached(business))).StatusCode);
        var api = await client.GetAsync(Uncached("/api/v1/weeks"));
        var page = await client.GetAsync("/testing/weeks?lang=en");
        var pageBody = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), api.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await api.Content.ReadAsStringAsync()))
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), page.Headers.RetryAfter?.Delta);
        var html = new HtmlParser().ParseDocument(pageBody);
        Assert.Equal("503", html.QuerySelector("[data-testid=error-page]")?.GetAttribute("data-status"));
        Assert.Equal("The registry is briefly unavailable", html.QuerySelector("h1")?.TextContent);
        Assert.DoesNotContain("Npgsql", pageBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", pageBody, StringComparison.Ordinal);
        // Readiness says which check failed, never the database's address or the driver's words.
        var ready = await client.GetAsync("/health/ready");
        var readyBody = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\",\"description\":\"database unreachable\"}", readyBody, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", readyBody, StringComparison.Ordinal);
        Assert.DoesNotContain("connect", readyBody, StringComparison.OrdinalIgnoreCase);

        await _cluster.StartAsync();
        var recovered = await UntilOkAsync(client, "/api/v1/weeks");

        Assert.Equal(HttpStatusCode.OK, recovered);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/testing/weeks")).StatusCode);
        var businessStatus = (await client.GetAsync(Uncached(business))).StatusCode;
        for (var i = 0; i < 300 && businessStatus == HttpStatusCode.ServiceUnavailable; i++)
        {
            await Task.Delay(100);
            businessStatus = (await client.GetAsync(Uncached(business))).StatusCode;
        }
        Assert.Equal(HttpStatusCode.NotFound, businessStatus);
    }

    [Fact]
    public async Task DatabaseBack_TheNodeListensForWeekChangesAgain()
    {
        var client = _node.CreateClient();
        Assert.Equal(0, await WeekCountAsync(client));
        await _cluster.StopAsync();
        await _cluster.StartAsync();
        await UntilOkAsync(client, "/testing/weeks");

        await _node.ImportAsync(new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes(), "2021-07-19");

        var weeks = await WeekCountAsync(client);
        for (var i = 0; i < 300 && weeks == 0; i++)
        {
            await Task.Delay(100);
            weeks = await WeekCountAsync(client);
        }
        Assert.Equal(1, weeks);
        Assert.True(_node.Listener.IsListening);
    }

    private string Uncached(string path) => $"{path}?attempt={++_attempt}";

    private async Task<HttpStatusCode> UntilOkAsync(HttpClient client, string path)
    {
        var status = (await client.GetAsync(Uncached(path))).StatusCode;
        for (var i = 0; i < 300 && status != HttpStatusCode.OK; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(100);
            status = (await client.GetAsync(Uncached(path))).StatusCode;
        }
        return status;
    }

    private static async Task<int> WeekCountAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/weeks"));
        return json.RootElement.GetProperty("items").GetArrayLength();
    }
}
