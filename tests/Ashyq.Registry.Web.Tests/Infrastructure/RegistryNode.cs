using System.Globalization;
using System.Security.Claims;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// One web node of the site over a database the test chose, so that several nodes can share one
/// database. With probes, it also serves the test-only endpoints of <see cref="ProbeController"/> and
/// treats a request carrying <see cref="SignedInHeader"/> as a signed-in user, and keeps what it logs.
/// </summary>
public sealed class RegistryNode(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, bool withProbes = false)
    : WebApplicationFactory<Program>
{
    public const string SignedInHeader = "X-Test-Signed-In";

    /// <summary>Settings for a node whose tests poll the API faster than a visitor is allowed to.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Unlimited = new Dictionary<string, string?>
    {
        ["ApiRateLimit:PermitLimit"] = "1000000",
    };

    public string ConnectionString { get; } = connectionString;

    /// <summary>What the node logged; filled only on a node with probes.</summary>
    public CapturedLog Log { get; } = new();

    public async Task<ImportOutcome> ImportAsync(byte[] file, string week, bool publish = true)
    {
        var weekStart = DateOnly.ParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var imports = Services.GetRequiredService<ImportService>();
        using var stream = new MemoryStream(file);
        var outcome = await imports.StoreAndRunAsync(stream, "export.csv", weekStart, "test", ImportSources.Upload);
        if (publish && outcome.State == ImportStates.Loaded)
            await Services.GetRequiredService<WeekPublisher>().PublishAsync(weekStart, "test", confirmEarlierDrafts: true);
        return outcome;
    }

    public WeekChangeListener Listener => Services.GetServices<IHostedService>().OfType<WeekChangeListener>().Single();

    /// <summary>Waits until this node listens for week changes, so a change made now reaches its cache.</summary>
    public async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 300 && !Listener.IsListening; i++)
            await Task.Delay(100);
        Assert.True(Listener.IsListening, "The node never started listening for week changes.");
    }

    public ValueTask EvictCachedPagesAsync() =>
        Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PublicOutputCache.Tag, default);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Registry", ConnectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (withProbes)
        {
            builder.ConfigureTestServices(services =>
            {
                services.AddControllers().AddApplicationPart(typeof(ProbeController).Assembly);
                services.AddSingleton<IStartupFilter, SignedInFromHeader>();
                services.AddSingleton<Serilog.Core.ILogEventSink>(Log);
            });
        }
    }

    /// <summary>Stands in for the staff sign-in, which runs before the cache in the real pipeline.</summary>
    private sealed class SignedInFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(SignedInHeader))
                    context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "staff")], "Test"));
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
