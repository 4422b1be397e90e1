using Ashyq.Registry.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// Statements on the ordinary pool (loading, publishing and withdrawing a week) may run for minutes at national scale:
/// the driver's 30 s default cancelled a million-row publish on a busy machine. The public reads by key keep it.
/// </summary>
public sealed class CommandTimeoutTests
{
    [Fact]
    public async Task OrdinaryPool_ByDefault_AllowsLongStatements_PublicReadsKeepTheDriversDefault()
    {
        await using var site = new RegistryWebFactory();
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();

        Assert.Equal(Extensions.DefaultCommandTimeoutSeconds, site.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand().CommandTimeout);
        Assert.Equal(30, site.Services.GetRequiredKeyedService<NpgsqlDataSource>(RegistryDataSources.PublicReads).CreateCommand().CommandTimeout);
    }

    [Fact]
    public async Task OrdinaryPool_Setting_GivesTheTimeout_AndTheConnectionStringsOwnWins()
    {
        await using var set = new RegistryWebFactory { Settings = { [Extensions.CommandTimeoutSetting] = "45" } };
        await ((Xunit.IAsyncLifetime)set).InitializeAsync();
        Assert.Equal(45, set.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand().CommandTimeout);

        await using var own = new RegistryWebFactory { Settings = { [Extensions.CommandTimeoutSetting] = "45" } };
        await ((Xunit.IAsyncLifetime)own).InitializeAsync();
        own.Settings["ConnectionStrings:Registry"] = own.ConnectionString + ";Command Timeout=7";
        Assert.Equal(7, own.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand().CommandTimeout);
    }

    [Fact]
    public async Task Statement_LongerThanTheTimeout_IsCancelled()
    {
        // The setting is what the driver applies: a statement longer than it ends in a timeout.
        await using var site = new RegistryWebFactory { Settings = { [Extensions.CommandTimeoutSetting] = "1" } };
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        await using var command = site.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT pg_sleep(3)");

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => command.ExecuteNonQueryAsync());
        Assert.IsType<TimeoutException>(error.InnerException);
    }
}
