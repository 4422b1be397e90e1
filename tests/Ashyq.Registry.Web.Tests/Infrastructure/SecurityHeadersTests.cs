using Ashyq.Registry.Web.Infrastructure;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

public sealed class SecurityHeadersTests(ProbeSite site) : IClassFixture<ProbeSite>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/css/site.css")]
    [InlineData("/api/v1/weeks")]
    [InlineData("/no-such-page")]
    [InlineData("/testing/fail")]
    public async Task Get_AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        var response = await site.Node.CreateClient().GetAsync(path);

        var headers = response.Headers;
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(",", headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", headers.GetValues("Referrer-Policy")));
        var permissions = string.Join(",", headers.GetValues("Permissions-Policy"));
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("microphone=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Page_PolicyAllowsNothingFromOtherOrigins()
    {
        var response = await site.Node.CreateClient().GetAsync("/no-such-page");

        var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("*", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_JobDashboard_PolicyDiffersOnlyByTheChartStylesheetsHash()
    {
        var client = site.Node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/staff/jobs/hangfire/stats");

        var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.JobsDashboardContentSecurityPolicy, policy);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy,
            policy.Replace(" 'sha256-z7zcnw/4WalZqx+PrNaRnoeLz/G9WXuFqV1WCJ129sg='", "", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OverPlainHttp_DoesNotAskForHttpsOnly()
    {
        var response = await site.Node.CreateClient().GetAsync("/health/live");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    [InlineData("/testing/fail")]
    public async Task Get_OverHttps_AsksForHttpsOnly_OnErrorPagesToo(string path)
    {
        var client = site.Node.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        var response = await client.GetAsync(path);

        Assert.Equal("max-age=31536000", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Get_BehindAProxyThatSaysHttps_AsksForHttpsOnly_OnlyWhenForwardedHeadersAreTrusted()
    {
        await using var behindProxy = new RegistryNode(site.Node.ConnectionString, new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["Hsts:IncludeSubDomains"] = "true",
        });
        static HttpRequestMessage ForwardedHttps()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            return request;
        }

        var trusted = await behindProxy.CreateClient().SendAsync(ForwardedHttps());
        var untrusted = await site.Node.CreateClient().SendAsync(ForwardedHttps());

        Assert.Equal("max-age=31536000; includeSubDomains", string.Join(",", trusted.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(untrusted.Headers.Contains("Strict-Transport-Security"));
    }
}
