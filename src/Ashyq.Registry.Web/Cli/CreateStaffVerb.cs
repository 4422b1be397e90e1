using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Features.Staff.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>create-staff EMAIL [--admin]</c>: creates a staff account.</summary>
internal static class CreateStaffVerb
{
    public const string StaffPasswordVariable = "ASHYQ_STAFF_PASSWORD";

    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 1 || !args.OnlyFlags("admin"))
            return CommandLine.UsageError("'create-staff' takes one EMAIL and optionally --admin.");
        var email = args.Positional[0].Trim();
        if (!email.Contains('@', StringComparison.Ordinal))
            return CommandLine.UsageError($"'{email}' is not an email address.");

        var password = Environment.GetEnvironmentVariable(StaffPasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (Console.IsInputRedirected)
                return CommandLine.UsageError($"Set {StaffPasswordVariable}, or run in a terminal to be asked for the password.");
            password = ReadHidden("Password: ");
            if (ReadHidden("Password again: ") != password)
            {
                await Console.Error.WriteLineAsync("The two passwords differ; nothing was created.");
                return 1;
            }
        }

        await using var host = CommandLine.BuildHost();
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
            await Core.Audit.AuditLog.WriteAsync(connection, null, CommandLine.Actor,
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
}
