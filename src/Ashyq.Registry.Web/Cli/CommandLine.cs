using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;

namespace Ashyq.Registry.Web.Cli;

/// <summary>
/// The verbs the site's binary takes besides serving: none of them starts the web server.
/// Exit codes: 0 done, 1 the work was refused or failed, 2 usage or configuration error.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Usage: Ashyq.Registry.Web [verb] [options]

        With no verb the site starts. Verbs:
          migrate                                  apply the database migrations (safe to repeat)
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args[0];
        var rest = args[1..];
        try
        {
            return verb switch
            {
                "migrate" when rest.Length == 0 => await Migrate(),
                _ => UsageError(verb is "migrate" ? $"'{verb}' takes no arguments." : $"Unknown verb '{verb}'."),
            };
        }
        catch (RegistryConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    internal static int UsageError(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>The services of the site without its web server.</summary>
    internal static WebApplication BuildHost() => RegistryWebApp.CreateBuilder([]).Build();

    private static async Task<int> Migrate()
    {
        await using var host = BuildHost();
        var runner = host.Services.GetRequiredService<MigrationRunner>();
        try
        {
            var applied = await runner.MigrateAsync();
            Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
            return 0;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"Cannot reach the database named by {Extensions.ConnectionStringSetting}: {e.Message}");
            return 1;
        }
    }
}
