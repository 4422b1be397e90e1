using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// The answers Kestrel writes itself, before any of the site runs (a request line, headers or a request
/// it cannot accept): they cannot carry the site's headers, so they carry nothing at all — no body that
/// a browser could render and no product name.
/// </summary>
public sealed class KestrelEdgeTests : IAsyncLifetime, IAsyncDisposable
{
    private RegistryNode _node = null!;
    private Uri _site = null!;

    public async Task InitializeAsync()
    {
        _node = new RegistryNode(await TestCluster.CreateDatabaseAsync("kestrel"));
        _site = KestrelSite.Start(_node);
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Theory]
    [InlineData("414", "GET /{long} HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("431", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {long}{long}{long}{long}\r\n\r\n")]
    [InlineData("400", "GET / HTTP/1.1\r\nHost: localhost\r\nBad Header Without Colon\r\n\r\n")]
    public async Task KestrelsOwnRefusal_HasNoBodyAndNoServerName(string status, string request)
    {
        var answer = await KestrelSite.SendRawAsync(_site, request.Replace("{long}", new string('a', 10_000), StringComparison.Ordinal));

        var (head, body) = Split(answer);
        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 0", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\r\nServer:", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task SitesOwnAnswer_CarriesTheSecurityHeaders_AndNoServerName()
    {
        var answer = await KestrelSite.SendRawAsync(_site, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        var (head, _) = Split(answer);
        Assert.StartsWith("HTTP/1.1 200 ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Security-Policy:", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\r\nServer:", head, StringComparison.OrdinalIgnoreCase);
    }

    private static (string Head, string Body) Split(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete answer: {answer}");
        return (answer[..end], answer[(end + 4)..]);
    }
}
