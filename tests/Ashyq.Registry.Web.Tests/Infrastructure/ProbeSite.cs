using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node with probes over a fresh database of its own; one per test class.</summary>
public sealed class ProbeSite : IAsyncLifetime
{
    public RegistryNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = new RegistryNode(await TestCluster.CreateDatabaseAsync("probe"), withProbes: true);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
