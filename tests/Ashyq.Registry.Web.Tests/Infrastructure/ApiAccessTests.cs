using System.Globalization;
using System.Net;
using System.Text.Json;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Infrastructure;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node whose API allows only three requests a minute per client.</summary>
public sealed class StrictlyLimitedSite : IAsyncLifetime
{
    public const int Limit = 3;

    public RegistryNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = new RegistryNode(
        await TestCluster.CreateDatabaseAsync("limited"),
        new Dictionary<string, string?> { ["ApiRateLimit:PermitLimit"] = Limit.ToString(CultureInfo.InvariantCulture), ["ApiRateLimit:WindowSeconds"] = "60" });

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class ApiRateLimitTests(StrictlyLimitedSite site) : IClassFixture<StrictlyLimitedSite>
{
    [Fact]
    public async Task Get_ApiBeyondTheLimit_AnswersTooManyRequestsWithRetryAfter()
    {
        var client = site.Node.CreateClient();
        for (var i = 0; i < StrictlyLimitedSite.Limit; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/weeks")).StatusCode);

        var refused = await client.GetAsync("/api/v1/weeks");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Get_PagesOutsideTheApi_AreNotLimited()
    {
        var client = site.Node.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < StrictlyLimitedSite.Limit * 3; i++)
            statuses.Add((await client.GetAsync("/health/live")).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}

public sealed class ApiOpennessTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>
{
    [Fact]
    public async Task Preflight_ForGetFromAnyOrigin_IsAllowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/weeks");
        preflight.Headers.Add("Origin", "https://news.example.kz");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await factory.CreateClient().SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("GET", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_ForPost_DoesNotAllowPost()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/weeks");
        preflight.Headers.Add("Origin", "https://news.example.kz");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await factory.CreateClient().SendAsync(preflight);

        var allowed = response.Headers.TryGetValues("Access-Control-Allow-Methods", out var methods) ? string.Join(",", methods) : "";
        Assert.DoesNotContain("POST", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ApiFromAnotherOrigin_AllowsThatOriginToRead()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/weeks");
        request.Headers.Add("Origin", "https://news.example.kz");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Get_PageOutsideTheApiFromAnotherOrigin_IsNotOpenedToIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", "https://news.example.kz");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_OpenApiDocument_DescribesTheWeeksEndpoints()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/weeks", paths);
        Assert.Contains("/api/v1/weeks/{weekStart}", paths);
        // The JSON API, and the files scripts fetch beside it; never a staff page or an HTML page.
        string[] files = ["/lists/{kind}.{format}", "/feed.atom", "/business/{bin}/feed.atom", "/business/{bin}/badge.svg"];
        Assert.All(paths, p => Assert.True(p.StartsWith("/api/", StringComparison.Ordinal) || files.Contains(p), p));
        var detail = document.RootElement.GetProperty("paths").GetProperty("/api/v1/weeks/{weekStart}").GetProperty("get").GetProperty("responses");
        Assert.True(detail.TryGetProperty("404", out _));
        Assert.True(detail.TryGetProperty("400", out _));
    }
}

/// <summary>
/// The API's limit counted per client on a real socket, where each connection has its own address (the in-memory
/// server gives every request the same one): one client reaching its limit leaves the others alone, and a forwarded
/// address counts only where the deployment says a proxy sets it.
/// </summary>
public sealed class ApiRateLimitPerClientTests : IAsyncLifetime
{
    private readonly List<RegistryNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    [Fact]
    public async Task Get_ApiFromTwoAddresses_OneAtItsLimitLeavesTheOtherServed()
    {
        var site = await StartAsync(forwardedHeaders: false);
        using var busy = KestrelSite.ClientFrom(IPAddress.Parse("127.0.0.2"), site);
        using var other = KestrelSite.ClientFrom(IPAddress.Parse("127.0.0.3"), site);

        var busyAnswers = new List<HttpStatusCode>();
        for (var i = 0; i <= StrictlyLimitedSite.Limit; i++)
            busyAnswers.Add((await busy.GetAsync("/api/v1/weeks")).StatusCode);
        var otherAnswer = await other.GetAsync("/api/v1/weeks");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, StrictlyLimitedSite.Limit).Append(HttpStatusCode.TooManyRequests), busyAnswers);
        Assert.Equal(HttpStatusCode.OK, otherAnswer.StatusCode);
    }

    [Fact]
    public async Task Get_ApiBehindATrustedProxy_CountsEachForwardedAddressApart()
    {
        var site = await StartAsync(forwardedHeaders: true);
        using var proxy = KestrelSite.ClientFrom(IPAddress.Loopback, site);

        var first = await AnswersAsync(proxy, "203.0.113.7", StrictlyLimitedSite.Limit + 1);
        var second = await AnswersAsync(proxy, "203.0.113.8", 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task Get_ApiWithoutATrustedProxy_IgnoresForwardedAddresses()
    {
        // A client exposed directly could otherwise name a new address with every request and never be limited.
        var site = await StartAsync(forwardedHeaders: false);
        using var client = KestrelSite.ClientFrom(IPAddress.Parse("127.0.0.4"), site);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= StrictlyLimitedSite.Limit; i++)
            answers.AddRange(await AnswersAsync(client, $"198.51.100.{i + 1}", 1));

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    [Theory]
    [InlineData("2001:db8:0:7::1", "2001:db8:0:7:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:0:7::1", "2001:db8:0:8::1", false)]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    public void ClientKey_CountsAnIPv6SubscriberByItsNetwork(string one, string other, bool same)
    {
        var a = ClientAddresses.Key(IPAddress.Parse(one));
        var b = ClientAddresses.Key(IPAddress.Parse(other));

        Assert.Equal(same, a == b);
    }

    private async Task<Uri> StartAsync(bool forwardedHeaders)
    {
        var node = new RegistryNode(await TestCluster.CreateDatabaseAsync("perclient"), new Dictionary<string, string?>
        {
            ["ApiRateLimit:PermitLimit"] = StrictlyLimitedSite.Limit.ToString(CultureInfo.InvariantCulture),
            ["ApiRateLimit:WindowSeconds"] = "600",
            ["ForwardedHeaders:Enabled"] = forwardedHeaders ? "true" : "false",
        });
        _nodes.Add(node);
        return KestrelSite.Start(node);
    }

    private static async Task<List<HttpStatusCode>> AnswersAsync(HttpClient client, string forwardedFor, int count)
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/weeks");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            answers.Add((await client.SendAsync(request)).StatusCode);
        }
        return answers;
    }
}
