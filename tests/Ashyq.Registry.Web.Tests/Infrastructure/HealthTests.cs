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
        var response = await factory.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
