using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ashyq.Registry.Web.Tests;

/// <summary>The real site over a freshly migrated database of its own; one per test class.</summary>
public sealed class RegistryWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await TestCluster.CreateDatabaseAsync("web");

    public Task ResetAsync() => TestCluster.ResetAsync(ConnectionString);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Registry", ConnectionString);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
