using System.Globalization;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests;

/// <summary>The real site over a freshly migrated database of its own; one per test class.</summary>
public sealed class RegistryWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    /// <summary>Settings of this site only, as an operator would give them (e.g. <c>Registry:ExclusionWeeks</c>).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public string OpenDataPath { get; } = Path.Combine(Path.GetTempPath(), "ashyq-test-open-data-" + Guid.NewGuid().ToString("N"));

    /// <summary>False for a site started on a database that no <c>migrate</c> has touched yet.</summary>
    public bool Migrated { get; init; } = true;

    public async Task InitializeAsync() => ConnectionString = Migrated
        ? await TestCluster.CreateDatabaseAsync("web")
        : await TestCluster.CreateEmptyDatabaseAsync("web");

    public Task ResetAsync() => TestCluster.ResetAsync(ConnectionString);

    /// <summary>Loads a weekly export through the real pipeline in-process, and publishes it unless told not to.</summary>
    public async Task<ImportOutcome> ImportAsync(byte[] file, string week, bool publish = true, string fileName = "export.csv")
    {
        var weekStart = DateOnly.ParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var imports = Services.GetRequiredService<ImportService>();
        using var stream = new MemoryStream(file);
        var outcome = await imports.StoreAndRunAsync(stream, fileName, weekStart, "test", ImportSources.Upload);
        if (publish && outcome.State == ImportStates.Loaded)
            await Services.GetRequiredService<WeekPublisher>().PublishAsync(weekStart, "test", confirmEarlierDrafts: true);
        return outcome;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Registry", ConnectionString);
        // The tests of a class sign in many times from one address; the limit itself is tested with its defaults.
        builder.UseSetting("Staff:SignInPermitLimit", "10000");
        builder.UseSetting("Replies:PermitLimit", "10000");
        builder.UseSetting("Staff:LockoutFailures", "1000000");
        // Each site its own open-data folder: a site clears the folders of versions other than its own.
        builder.UseSetting("OpenData:FilesPath", OpenDataPath);
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
