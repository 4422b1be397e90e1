using System.Diagnostics;
using System.Net;
using Ashyq.Registry.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

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

    [Fact]
    public async Task Start_BeforeMigrate_StaysUpNotReadyNamingTheMigrations_ThenReadyOnceMigrated()
    {
        await using var site = new RegistryWebFactory { Migrated = false };
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        // Before, the node stopped at start on the job store's missing tables, against what the deployment guide says.
        var client = site.CreateClient();

        var notReady = await client.GetAsync("/health/ready");
        var body = await notReady.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("0013_jobs_on_hangfire", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await using var dataSource = NpgsqlDataSource.Create(site.ConnectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();

        // The bound only ends a broken run: the node looks again every few seconds.
        var clock = Stopwatch.StartNew();
        HttpResponseMessage ready;
        long sweeps;
        do
        {
            await Task.Delay(200);
            ready = await client.GetAsync("/health/ready");
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'import-sweep'");
            sweeps = (long)(await command.ExecuteScalarAsync())!;
        }
        while ((ready.StatusCode != HttpStatusCode.OK || sweeps == 0) && clock.Elapsed < TimeSpan.FromSeconds(90));
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        Assert.Equal(1, sweeps);
    }
}
