using Ashyq.Registry.Core.Data;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>migrate</c>: applies the migrations and installs the job store's schema.</summary>
internal static class MigrateVerb
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (!args.IsEmpty)
            return CommandLine.UsageError("'migrate' takes no arguments.");
        await using var host = CommandLine.BuildHost();
        var applied = await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }
}
