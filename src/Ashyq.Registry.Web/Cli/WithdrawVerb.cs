using Ashyq.Registry.Core.Weeks;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>withdraw --week yyyy-MM-dd [--reason TEXT]</c>: takes a published week off the public site.</summary>
internal static class WithdrawVerb
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 0 || !args.OnlyFlags("week", "reason"))
            return CommandLine.UsageError("'withdraw' takes --week and --reason.");
        if (!args.TryWeek(out var week, out var weekError))
            return CommandLine.UsageError(weekError);
        var reason = args.Value("reason") is { Length: > 0 } given ? given : "Withdrawn from the command line";
        await using var host = CommandLine.BuildHost();
        var outcome = await host.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(week, CommandLine.Actor, reason);
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
