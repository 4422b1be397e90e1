using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>A node with probes over a fresh database of its own; one per test class.</summary>
public sealed class ProbeSite : IAsyncLifetime
{
    public RegistryNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = new RegistryNode(await TestCluster.CreateDatabaseAsync("probe"), withProbes: true);
        // A node drops its cached pages when it starts listening for week changes; a test of the cache
        // that began before that could see its first rendering evicted between two requests.
        await Node.WaitUntilListeningAsync();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
