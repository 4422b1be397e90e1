using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
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
    public async Task BothPools_RunWithTheServersJitOff_UnlessTheConnectionStringTurnsItOn()
    {
        await using var site = new RegistryWebFactory();
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        foreach (var source in new[] { site.Services.GetRequiredService<NpgsqlDataSource>(), site.Services.GetRequiredKeyedService<NpgsqlDataSource>(RegistryDataSources.PublicReads) })
        {
            await using var show = source.CreateCommand("SHOW jit");
            Assert.Equal("off", (string?)await show.ExecuteScalarAsync());
        }

        await using var own = new RegistryWebFactory();
        await ((Xunit.IAsyncLifetime)own).InitializeAsync();
        own.Settings["ConnectionStrings:Registry"] = own.ConnectionString + ";Options=-c jit=on";
        await using var command = own.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SHOW jit");
        Assert.Equal("on", (string?)await command.ExecuteScalarAsync());
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

    [Fact]
    public async Task PublishAndWithdraw_RunUnderTheSetting_AndOneCutShortKeepsNothingOfIt()
    {
        // The week is loaded by a site with the default; a site with a 2 s timeout then publishes it while
        // another session holds businesses, so that the publish's write of it waits past the setting.
        await using var loader = new RegistryWebFactory();
        await ((Xunit.IAsyncLifetime)loader).InitializeAsync();
        var week = new DateOnly(2021, 6, 28);
        await loader.ImportAsync(new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").ToBytes(), "2021-06-28", publish: false);
        await using var site = new RegistryWebFactory { Settings = { [Extensions.CommandTimeoutSetting] = "2" } };
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        site.Settings["ConnectionStrings:Registry"] = loader.ConnectionString;
        var publisher = site.Services.GetRequiredService<WeekPublisher>();

        await using (var holder = await HoldAsync(loader.ConnectionString, "LOCK TABLE businesses IN SHARE MODE"))
        {
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => publisher.PublishAsync(week, "staff"));
            Assert.IsType<TimeoutException>(error.InnerException);
        }
        Assert.Equal(WeekStatuses.Draft, await StatusAsync(loader.ConnectionString, week));

        Assert.Equal(PublishOutcome.Published, await publisher.PublishAsync(week, "staff"));
        await using (var holder = await HoldAsync(loader.ConnectionString, "LOCK TABLE business_weeks IN SHARE MODE"))
        {
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => publisher.WithdrawAsync(week, "staff", "Wrong file"));
            Assert.IsType<TimeoutException>(error.InnerException);
        }
        Assert.Equal(WeekStatuses.Published, await StatusAsync(loader.ConnectionString, week));
    }

    // A session that holds the lock in an open transaction until it is closed.
    private static async Task<NpgsqlConnection> HoldAsync(string connectionString, string sql)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"BEGIN; {sql};", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<string?> StatusAsync(string connectionString, DateOnly week)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1", connection);
        command.Parameters.Add(new() { Value = week });
        return (string?)await command.ExecuteScalarAsync();
    }
}
