using System.Net;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

public sealed class HealthTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>
{
    [Fact]
    public async Task Get_Live_IsOk()
    {
        var response = await factory.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_Ready_OnMigratedDatabase_IsHealthy()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/health/ready");
        // The scheduler joins its cluster in the background after start-up; readiness waits for it.
        for (var i = 0; i < 100 && response.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            response = await client.GetAsync("/health/ready");
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"status\":\"Healthy\"", body, StringComparison.Ordinal);
    }
}
