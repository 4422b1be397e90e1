using System.Net;
using System.Text.Json;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node whose API allows only three requests a minute per client.</summary>
public sealed class StrictlyLimitedSite : IAsyncLifetime
{
    public const int Limit = 3;

    public RegistryNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = new RegistryNode(
        await TestCluster.CreateDatabaseAsync("limited"),
        new Dictionary<string, string?> { ["ApiRateLimit:PermitLimit"] = Limit.ToString(), ["ApiRateLimit:WindowSeconds"] = "60" });

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
        Assert.All(paths, p => Assert.StartsWith("/api/", p, StringComparison.Ordinal));
        var detail = document.RootElement.GetProperty("paths").GetProperty("/api/v1/weeks/{weekStart}").GetProperty("get").GetProperty("responses");
        Assert.True(detail.TryGetProperty("404", out _));
        Assert.True(detail.TryGetProperty("400", out _));
    }
}
