using Ashyq.Registry.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Core;

public static class Extensions
{
    public const string ConnectionStringName = "Registry";
    public const string ConnectionStringSetting = "ConnectionStrings__Registry";

    /// <summary>Reads and checks the connection string, naming the setting when it is missing or malformed.</summary>
    public static string GetRegistryConnectionString(this IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
            throw new RegistryConfigurationException(
                $"The connection string is not set. Set {ConnectionStringSetting} (or ConnectionStrings:Registry in appsettings.json).");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException e)
        {
            throw new RegistryConfigurationException(
                $"The connection string in {ConnectionStringSetting} is malformed: {e.Message}");
        }
        return value;
    }

    public static IServiceCollection AddRegistryData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistryOptions>()
            .Bind(configuration.GetSection(RegistryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Read when first needed rather than now, so that a host's later configuration (a test's) counts.
        services.AddSingleton(sp => CreateDataSource(sp.GetRequiredService<IConfiguration>(), multiplexed: false));
        // The public pages' short reads by key (a business, a search) from many visitors at once share a
        // few connections: their statements are written and their answers read in batches, so that each
        // costs the site and the server a fraction of a round trip of its own. Long reads (downloads,
        // lists) stay on the ordinary pool, where they hold up no one else's answer.
        services.AddKeyedSingleton(RegistryDataSources.PublicReads,
            (sp, _) => CreateDataSource(sp.GetRequiredService<IConfiguration>(), multiplexed: true));
        services.AddDbContext<RegistryDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Seconds a statement on the ordinary pool may run (imports, publishing, downloads, staff pages).</summary>
    public const string CommandTimeoutSetting = "Registry:CommandTimeoutSeconds";
    public const int DefaultCommandTimeoutSeconds = 900;

    private static bool SetsCommandTimeout(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("CommandTimeout", StringComparison.OrdinalIgnoreCase));

    private static NpgsqlDataSource CreateDataSource(IConfiguration configuration, bool multiplexed)
    {
        var builder = new NpgsqlDataSourceBuilder(configuration.GetRegistryConnectionString());
        // A node killed mid-query leaves its server session running the query to the end, holding
        // the import's locks; the server checks every 2 s whether the client is still there.
        // The server's JIT compiler is off unless the connection string's own options turn it on (they come
        // after, and the last word wins): the registry's statements are short reads by key, or set-based
        // work over a week just loaded, whose partition has no statistics yet. Such an estimate can be off a
        // hundredfold, and compiling for it cost seconds — most of what the review of a national week took.
        builder.ConnectionStringBuilder.Options =
            $"-c jit=off {builder.ConnectionStringBuilder.Options} -c client_connection_check_interval=2000".Replace("  ", " ", StringComparison.Ordinal);
        // The public pages run the same few statements all day: prepared once per connection, the
        // server skips parsing and planning them (a partitioned table makes planning dear). A
        // connection string that says otherwise wins.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        // Loading, publishing and withdrawing a national week run statements of minutes on a busy server;
        // the driver's 30 s would cancel them (and roll the whole step back). The public reads by key keep it.
        if (!multiplexed && !SetsCommandTimeout(builder.ConnectionString))
            builder.ConnectionStringBuilder.CommandTimeout = configuration.GetValue(CommandTimeoutSetting, DefaultCommandTimeoutSeconds);
        if (multiplexed)
        {
            builder.ConnectionStringBuilder.Pooling = true;
            builder.ConnectionStringBuilder.Multiplexing = true;
        }
        return builder.Build();
    }
}

/// <summary>Keys of the data sources registered besides the ordinary one.</summary>
public static class RegistryDataSources
{
    /// <summary>Multiplexed: for short public reads issued as single commands or batches, never with a transaction.</summary>
    public const string PublicReads = "public-reads";
}

public sealed class RegistryConfigurationException(string message) : Exception(message);
