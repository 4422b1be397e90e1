using System.Diagnostics.CodeAnalysis;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Listens on the channel <see cref="WeekPublisher"/> notifies when a week is published or withdrawn,
/// and evicts this node's cached public pages. Each node runs one, so a change made through any node
/// reaches every node's cache. When the connection drops it listens again, and evicts once more on
/// reconnecting, since a notification sent while it was away is lost.
/// </summary>
public sealed partial class WeekChangeListener(
    IConfiguration configuration,
    IOutputCacheStore cache,
    IOptions<PublicCacheOptions> options,
    ILogger<WeekChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private volatile bool _listening;

    /// <summary>Whether this node hears week changes now; while it does not, its cache may be stale.</summary>
    public bool IsListening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Its own unpooled connection: a LISTEN must outlive any request, and a pooled one would be reset on return.
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetRegistryConnectionString())
        {
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;

        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => retry = TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                _listening = false;
                LogConnectionLost(e.Message, retry.TotalSeconds);
            }

            try
            {
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, options.Value.ListenerMaxRetrySeconds));
        }
    }

    private async Task ListenAsync(string connectionString, Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => EvictSoon(e.Payload);
        await using (var listen = new NpgsqlCommand(RegistryChanges.ListenSql, connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);

        connected();
        await cache.EvictByTagAsync(PublicOutputCache.Tag, stoppingToken);
        _listening = true;
        LogListening(RegistryChanges.Channel);

        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken))
            {
                // Nothing arrived for a while: make sure the connection is still alive rather than silently gone.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "Nobody awaits the eviction: whatever it throws is logged, or it would be lost.")]
    private void EvictSoon(string week)
    {
        LogWeekChanged(week);
        // The handler runs inside WaitAsync; evicting must not block reading the next notification.
        _ = Task.Run(async () =>
        {
            try
            {
                await cache.EvictByTagAsync(PublicOutputCache.Tag, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogEvictionFailed(e);
            }
        });
    }

    [LoggerMessage(LogLevel.Information, "Listening for week changes on {Channel}")]
    private partial void LogListening(string channel);

    [LoggerMessage(LogLevel.Information, "Week {Week} changed; the cached public pages are evicted")]
    private partial void LogWeekChanged(string week);

    [LoggerMessage(LogLevel.Warning, "Lost the connection that listens for week changes ({Reason}); trying again in {Seconds} s")]
    private partial void LogConnectionLost(string reason, double seconds);

    [LoggerMessage(LogLevel.Error, "Could not evict the cached public pages")]
    private partial void LogEvictionFailed(Exception exception);
}
