using System.Diagnostics;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>The create-staff verb, run as a real process of the built site binary.</summary>
public sealed class CreateStaffVerbTests
{
    private const string Password = "Quiet-Monday-2021";

    [Fact]
    public async Task CreateStaff_WithPasswordFromEnvironment_CreatesAnAdmin_AndRefusesTheSameEmailAgain()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");

        var first = await RunAsync(connectionString, Password, "create-staff", "demo@ashyq.local", "--admin");
        var again = await RunAsync(connectionString, Password, "create-staff", "demo@ashyq.local", "--admin");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r."Name" FROM staff_users u JOIN staff_user_roles ur ON ur."UserId" = u."Id" JOIN staff_roles r ON r."Id" = ur."RoleId"
            WHERE u."Email" = 'demo@ashyq.local'
            """, connection);
        Assert.Equal("Admin", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateStaff_WeakPassword_IsRefused_Exits1()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");

        var run = await RunAsync(connectionString, "password", "create-staff", "weak@ashyq.local");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not created", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStaff_CommonPassword_IsRefusedWithItsReason_Exits1()
    {
        var connectionString = await TestCluster.CreateDatabaseAsync("verbs");

        var run = await RunAsync(connectionString, "Password1234", "create-staff", "common@ashyq.local");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("commonly used", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStaff_NoPasswordAndNoTerminal_NamesTheVariable_Exits2()
    {
        var run = await RunAsync("Host=127.0.0.1", password: null, "create-staff", "someone@ashyq.local");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ASHYQ_STAFF_PASSWORD", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStaff_WithoutEmail_IsAUsageError_Exits2()
    {
        var run = await RunAsync("Host=127.0.0.1", Password, "create-staff");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string connectionString, string? password, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ashyq.Registry.Web.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        if (password is null)
            start.Environment.Remove("ASHYQ_STAFF_PASSWORD");
        else
            start.Environment["ASHYQ_STAFF_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
