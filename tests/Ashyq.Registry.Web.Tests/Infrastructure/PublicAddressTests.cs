using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Infrastructure;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>Absolute links come from the configured public address, whatever Host a client sends, and a cached page is never built for a foreign host.</summary>
public sealed class PublicAddressTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Configured = "https://registry.example.kz";
    private static readonly string Bin = ExportBuilder.BinFor(1);
    private RegistryNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = new RegistryNode(await TestCluster.CreateDatabaseAsync("address"), new Dictionary<string, string?>
        {
            ["Registry:PublicBaseUrl"] = Configured + "/",
            ["ApiRateLimit:PermitLimit"] = "1000000",
        });
        await _node.ImportAsync(new ExportBuilder().Row(Bin, "лидер").ToBytes(), "2021-07-19");
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    [Theory]
    [InlineData("/feed.atom")]
    [InlineData("/business/{bin}/feed.atom")]
    public async Task Feed_AskedWithAPoisonedHost_LinksToTheConfiguredAddress_AndSoDoesItsCachedCopy(string path)
    {
        path = path.Replace("{bin}", Bin, StringComparison.Ordinal);
        var poisoned = _node.CreateClient(new() { BaseAddress = new Uri("http://attacker.example") });
        var honest = _node.CreateClient(new() { BaseAddress = new Uri(Configured) });

        var first = await (await poisoned.GetAsync(path)).Content.ReadAsStringAsync();
        var second = await (await honest.GetAsync(path)).Content.ReadAsStringAsync();
        var third = await (await poisoned.GetAsync(path)).Content.ReadAsStringAsync();

        foreach (var feed in new[] { first, second, third })
        {
            Assert.Contains($"href=\"{Configured}/", feed, StringComparison.Ordinal);
            Assert.DoesNotContain("attacker.example", feed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BusinessPage_AskedWithAPoisonedHost_ItsBadgeCodeNamesTheConfiguredAddress()
    {
        var poisoned = _node.CreateClient(new() { BaseAddress = new Uri("http://attacker.example") });

        var html = await (await poisoned.GetAsync($"/business/{Bin}?lang=en")).Content.ReadAsStringAsync();

        var code = new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=badge-code]")!.TextContent;
        Assert.Contains($"{Configured}/business/{Bin}/badge.svg", code, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiDocument_AskedWithAPoisonedHost_NamesTheConfiguredServer()
    {
        var poisoned = _node.CreateClient(new() { BaseAddress = new Uri("http://attacker.example") });

        using var document = JsonDocument.Parse(await poisoned.GetStringAsync("/openapi/v1.json"));

        var servers = document.RootElement.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToList();
        Assert.Equal([Configured], servers);
    }

    [Fact]
    public async Task WithoutAConfiguredAddress_APageBuiltForOneHostIsNeverServedToAnother()
    {
        await using var local = new RegistryNode(_node.ConnectionString);
        var poisoned = local.CreateClient(new() { BaseAddress = new Uri("http://attacker.example") });
        var honest = local.CreateClient(new() { BaseAddress = new Uri("http://localhost") });

        var forAttacker = await poisoned.GetStringAsync("/feed.atom");
        var forVisitor = await honest.GetStringAsync("/feed.atom");

        Assert.Contains("http://attacker.example/", forAttacker, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", forVisitor, StringComparison.Ordinal);
        Assert.Contains("http://localhost/", forVisitor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CachedPage_IsStoredOnlyForTheConfiguredHost_AndThenServedWhateverTheHost()
    {
        await using var probes = new RegistryNode(_node.ConnectionString, new Dictionary<string, string?> { ["Registry:PublicBaseUrl"] = Configured }, withProbes: true);
        await probes.WaitUntilListeningAsync();
        var poisoned = probes.CreateClient(new() { BaseAddress = new Uri("http://attacker.example") });
        // As a proxy that ends TLS passes it on: the configured host, without its port, over plain HTTP.
        var honest = probes.CreateClient(new() { BaseAddress = new Uri("http://registry.example.kz") });

        var attackerFirst = await poisoned.GetStringAsync("/testing/cached");
        var attackerAgain = await poisoned.GetStringAsync("/testing/cached");
        var visitorFirst = await honest.GetStringAsync("/testing/cached");
        var visitorAgain = await honest.GetStringAsync("/testing/cached");
        var attackerLater = await poisoned.GetStringAsync("/testing/cached");

        Assert.NotEqual(attackerFirst, attackerAgain);
        Assert.NotEqual(attackerAgain, visitorFirst);
        Assert.Equal(visitorFirst, visitorAgain);
        Assert.Equal(visitorFirst, attackerLater);
    }

    [Theory]
    [InlineData("registry.example.kz")]
    [InlineData("ftp://registry.example.kz")]
    [InlineData("https://registry.example.kz/?q=1")]
    public void Settings_AMalformedPublicAddress_IsRefused(string value)
    {
        var settings = new PublicAddressOptions { PublicBaseUrl = value };

        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true));
        Assert.Contains("Registry:PublicBaseUrl", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }
}
