using System.Globalization;
using System.Text.Json;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Demo;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Features.Staff.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

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
          migrate                                        apply the database migrations (safe to repeat)
          import FILE --week yyyy-MM-dd [--publish] [--json]
                                                         load a weekly export for the week starting that Monday
          publish --week yyyy-MM-dd [--confirm]          publish a loaded week (--confirm: even if an earlier week is a draft)
          withdraw --week yyyy-MM-dd [--reason TEXT]     take a published week off the public site
          seed-demo                                      load and publish the demo weeks (only into an empty database)
          create-staff EMAIL [--admin]                   create a staff account (password from ASHYQ_STAFF_PASSWORD, else asked)
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

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
                "migrate" => parsed.IsEmpty ? await Migrate() : UsageError("'migrate' takes no arguments."),
                "import" => await Import(parsed),
                "publish" => await Publish(parsed),
                "withdraw" => await Withdraw(parsed),
                "seed-demo" => parsed.IsEmpty ? await SeedDemo() : UsageError("'seed-demo' takes no arguments."),
                "create-staff" => await CreateStaff(parsed),
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

    private static async Task<int> Migrate()
    {
        await using var host = BuildHost();
        var applied = await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> SeedDemo()
    {
        await using var host = BuildHost();
        var seeder = host.Services.GetRequiredService<DemoSeeder>();
        if (!await seeder.IsEmptyAsync())
        {
            Console.WriteLine("The database already holds weeks; the demo is loaded only into an empty one.");
            return 0;
        }
        foreach (var outcome in await seeder.SeedAsync())
            Console.WriteLine($"Week of {outcome.WeekStart:yyyy-MM-dd}: {outcome.RowsLoaded} rows loaded and published.");
        return 0;
    }

    private static async Task<int> Import(Arguments args)
    {
        if (args.Positional.Count != 1)
            return UsageError("'import' takes one FILE.");
        if (!args.TryWeek(out var week, out var weekError))
            return UsageError(weekError);
        if (!args.OnlyFlags("week", "publish", "json"))
            return UsageError("'import' takes --week, --publish and --json.");
        var path = args.Positional[0];
        if (!File.Exists(path))
            return UsageError($"No such file: {path}");

        await using var host = BuildHost();
        var maxWeeksAhead = host.Services.GetRequiredService<IOptions<RegistryOptions>>().Value.MaxWeeksAhead;
        var today = WeekDates.Today(host.Services.GetRequiredService<TimeProvider>());
        if (WeekDates.Check(week, today, maxWeeksAhead) is var check and not WeekCheck.Valid)
            return UsageError($"--week: {WeekDates.Describe(check, week, today, maxWeeksAhead)}");
        var imports = host.Services.GetRequiredService<ImportService>();
        ImportOutcome outcome;
        await using (var file = File.OpenRead(path))
        {
            try
            {
                outcome = await imports.StoreAndRunAsync(file, Path.GetFileName(path), week, Environment.UserName is { Length: > 0 } user ? $"cli:{user}" : "cli",
                    ImportSources.CommandLine, args.Has("publish"));
            }
            catch (UploadTooLargeException e)
            {
                await Console.Error.WriteLineAsync(e.Message + " (Registry__MaxUploadBytes)");
                return 1;
            }
        }
        if (outcome.State == ImportStates.Duplicate && outcome.Published == false && args.Has("publish"))
            await host.Services.GetRequiredService<WeekPublisher>().PublishAsync(week, "cli", confirmEarlierDrafts: true);

        if (args.Has("json"))
            Console.WriteLine(JsonSerializer.Serialize(outcome, Json));
        else
            PrintSummary(outcome, path);
        return outcome.Succeeded ? 0 : 1;
    }

    private static void PrintSummary(ImportOutcome outcome, string path)
    {
        Console.WriteLine($"Import {outcome.ImportId}: {Path.GetFileName(path)} for the week of {outcome.WeekStart:yyyy-MM-dd}");
        if (outcome.State == ImportStates.Duplicate)
        {
            Console.WriteLine($"  This file was already loaded for this week (import {outcome.DuplicateOf}); nothing was loaded again.");
            return;
        }
        Console.WriteLine($"  state:    {outcome.State}{(outcome.Published ? ", published" : "")}");
        Console.WriteLine($"  read:     {outcome.RowsRead}");
        Console.WriteLine($"  loaded:   {outcome.RowsLoaded}");
        Console.WriteLine($"  rejected: {outcome.RowsRejected}");
        Console.WriteLine($"  warnings: {outcome.Warnings}");
        if (outcome.Error is not null)
            Console.WriteLine($"  refused:  {outcome.Error}");
        foreach (var message in outcome.FirstMessages.Take(10))
        {
            Console.WriteLine($"  {message.SeverityCode,-12} {message.Message}");
        }
    }

    private static async Task<int> Publish(Arguments args)
    {
        if (args.Positional.Count != 0 || !args.OnlyFlags("week", "confirm"))
            return UsageError("'publish' takes --week and --confirm.");
        if (!args.TryWeek(out var week, out var weekError))
            return UsageError(weekError);
        await using var host = BuildHost();
        var publisher = host.Services.GetRequiredService<WeekPublisher>();
        var outcome = await publisher.PublishAsync(week, "cli", args.Has("confirm"));
        switch (outcome)
        {
            case PublishOutcome.Published:
                Console.WriteLine($"The week of {week:yyyy-MM-dd} is published.");
                return 0;
            case PublishOutcome.AlreadyPublished:
                Console.WriteLine($"The week of {week:yyyy-MM-dd} was already published.");
                return 0;
            case PublishOutcome.NeedsConfirmation:
                var drafts = await publisher.EarlierDraftsAsync(week);
                await Console.Error.WriteLineAsync(
                    $"Earlier weeks are still drafts ({string.Join(", ", drafts.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}); " +
                    "the exclusion rule counts published weeks only. Publish them first, or add --confirm.");
                return 1;
            default:
                await Console.Error.WriteLineAsync($"No week of {week:yyyy-MM-dd} has been loaded.");
                return 1;
        }
    }

    public const string StaffPasswordVariable = "ASHYQ_STAFF_PASSWORD";

    private static async Task<int> CreateStaff(Arguments args)
    {
        if (args.Positional.Count != 1 || !args.OnlyFlags("admin"))
            return UsageError("'create-staff' takes one EMAIL and optionally --admin.");
        var email = args.Positional[0].Trim();
        if (!email.Contains('@', StringComparison.Ordinal))
            return UsageError($"'{email}' is not an email address.");

        var password = Environment.GetEnvironmentVariable(StaffPasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (Console.IsInputRedirected)
                return UsageError($"Set {StaffPasswordVariable}, or run in a terminal to be asked for the password.");
            password = ReadHidden("Password: ");
            if (ReadHidden("Password again: ") != password)
            {
                await Console.Error.WriteLineAsync("The two passwords differ; nothing was created.");
                return 1;
            }
        }

        await using var host = BuildHost();
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            await Console.Error.WriteLineAsync($"An account with the email {email} already exists; nothing was changed.");
            return 1;
        }
        var admin = args.Has("admin");
        var result = await StaffAccounts.CreateAsync(users, email, password, admin, TimeProvider.System);
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync("The account was not created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            return 1;
        }
        await using (var connection = await host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync())
        {
            await Core.Audit.AuditLog.WriteAsync(connection, null, Environment.UserName is { Length: > 0 } user ? $"cli:{user}" : "cli",
                "account.create", $"account {email}", $"role {(admin ? StaffRoles.Admin : StaffRoles.Staff)}");
        }
        Console.WriteLine($"Created the {(admin ? StaffRoles.Admin : StaffRoles.Staff)} account {email}.");
        return 0;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var text = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                    text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        Console.WriteLine();
        return text.ToString();
    }

    private static async Task<int> Withdraw(Arguments args)
    {
        if (args.Positional.Count != 0 || !args.OnlyFlags("week", "reason"))
            return UsageError("'withdraw' takes --week and --reason.");
        if (!args.TryWeek(out var week, out var weekError))
            return UsageError(weekError);
        var reason = args.Value("reason") is { Length: > 0 } given ? given : "Withdrawn from the command line";
        await using var host = BuildHost();
        var outcome = await host.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(week, "cli", reason);
        switch (outcome)
        {
            case WithdrawOutcome.Withdrawn:
                Console.WriteLine($"The week of {week:yyyy-MM-dd} is withdrawn.");
                return 0;
            case WithdrawOutcome.NotPublished:
                await Console.Error.WriteLineAsync($"The week of {week:yyyy-MM-dd} is not published.");
                return 1;
            default:
                await Console.Error.WriteLineAsync($"No week of {week:yyyy-MM-dd} has been loaded.");
                return 1;
        }
    }
}

/// <summary>Positional arguments and --flags (with or without a value) of one verb.</summary>
internal sealed class Arguments
{
    private static readonly HashSet<string> Switches = ["publish", "json", "confirm", "admin"];
    private readonly Dictionary<string, string?> _flags = [];

    public List<string> Positional { get; } = [];

    public bool IsEmpty => Positional.Count == 0 && _flags.Count == 0;

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            if (Switches.Contains(name))
            {
                parsed._flags[name] = null;
                continue;
            }
            if (i + 1 >= args.Length)
                throw new FormatException($"{arg} needs a value.");
            parsed._flags[name] = args[++i];
        }
        return parsed;
    }

    public bool Has(string name) => _flags.ContainsKey(name);

    public string? Value(string name) => _flags.GetValueOrDefault(name);

    public bool OnlyFlags(params string[] allowed) => _flags.Keys.All(allowed.Contains);

    public bool TryWeek(out DateOnly week, out string error)
    {
        week = default;
        error = "";
        if (Value("week") is not { } text)
        {
            error = "--week yyyy-MM-dd is required.";
            return false;
        }
        if (!WeekDates.TryParse(text, out week))
        {
            error = $"--week {text} is not a date in the form yyyy-MM-dd.";
            return false;
        }
        if (week.DayOfWeek != DayOfWeek.Monday)
        {
            error = $"--week {text} is a {week.DayOfWeek}; a reporting week starts on Monday.";
            return false;
        }
        return true;
    }
}
