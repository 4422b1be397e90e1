using System.Globalization;
using Ashyq.Registry.Core.Weeks;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>publish --week yyyy-MM-dd [--confirm]</c>: publishes a loaded week.</summary>
internal static class PublishVerb
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 0 || !args.OnlyFlags("week", "confirm"))
            return CommandLine.UsageError("'publish' takes --week and --confirm.");
        if (!args.TryWeek(out var week, out var weekError))
            return CommandLine.UsageError(weekError);
        await using var host = CommandLine.BuildHost();
        var publisher = host.Services.GetRequiredService<WeekPublisher>();
        var outcome = await publisher.PublishAsync(week, CommandLine.Actor, args.Has("confirm"));
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
}
