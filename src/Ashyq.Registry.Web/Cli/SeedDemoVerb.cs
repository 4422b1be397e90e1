using Ashyq.Registry.Core.Demo;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>seed-demo</c>: loads and publishes the demo weeks, into an empty database only.</summary>
internal static class SeedDemoVerb
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (!args.IsEmpty)
            return CommandLine.UsageError("'seed-demo' takes no arguments.");
        await using var host = CommandLine.BuildHost();
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
}
