using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Imports;

namespace Ashyq.Registry.Web.Cli;

/// <summary>
/// The verbs the site's binary takes besides serving, each in a file of its own beside this one: none
/// of them starts the web server.
/// Exit codes: 0 done, 1 the work was refused or failed, 2 usage or configuration error.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Usage: Ashyq.Registry.Web [verb] [options]

        With no verb the site starts. Verbs:
          migrate                                        apply the database migrations (safe to repeat)
          import FILE --week yyyy-MM-dd [--publish] [--json]
                                                         load a weekly export for the week starting that Monday
          publish --week yyyy-MM-dd [--confirm]          publish a loaded week (--confirm: even if an earlier week is a draft)
          withdraw --week yyyy-MM-dd [--reason TEXT]     take a published week off the public site
          seed-demo                                      load and publish the demo weeks (only into an empty database)
          create-staff EMAIL [--admin]                   create a staff account (password from ASHYQ_STAFF_PASSWORD, else asked)
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args[0];
        Arguments parsed;
        try
        {
            parsed = Arguments.Parse(args[1..]);
        }
        catch (FormatException e)
        {
            return UsageError(e.Message);
        }

        try
        {
            return verb switch
            {
                "migrate" => await MigrateVerb.RunAsync(parsed),
                "import" => await ImportVerb.RunAsync(parsed),
                "publish" => await PublishVerb.RunAsync(parsed),
                "withdraw" => await WithdrawVerb.RunAsync(parsed),
                "seed-demo" => await SeedDemoVerb.RunAsync(parsed),
                "create-staff" => await CreateStaffVerb.RunAsync(parsed),
                _ => UsageError($"Unknown verb '{verb}'."),
            };
        }
        catch (RegistryConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (Npgsql.NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            await Console.Error.WriteLineAsync(
                $"A statement ran longer than the command timeout ({Extensions.CommandTimeoutSetting}, or Command Timeout in {Extensions.ConnectionStringSetting}) and was cancelled; nothing of this step was kept. {e.Message}");
            return 1;
        }
        catch (Npgsql.PostgresException e)
        {
            await Console.Error.WriteLineAsync($"The database refused a statement: {e.MessageText} (SQLSTATE {e.SqlState}).");
            return 1;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"Cannot reach the database named by {Extensions.ConnectionStringSetting}: {e.Message}");
            return 1;
        }
        catch (ImportBusyException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    internal static int UsageError(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>The services of the site without its web server or its scheduler.</summary>
    internal static WebApplication BuildHost() => RegistryWebApp.CreateBuilder([], forVerb: true).Build();

    /// <summary>
    /// Who a verb's work is written down as in the audit log and on the imports and weeks it touches:
    /// the account that ran it, so that two people at the same server are told apart.
    /// </summary>
    internal static string Actor { get; } = Environment.UserName is { Length: > 0 } user ? $"cli:{user}" : "cli";
}
