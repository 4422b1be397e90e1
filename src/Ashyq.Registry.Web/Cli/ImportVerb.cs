using System.Text.Json;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Cli;

/// <summary><c>import FILE --week yyyy-MM-dd [--publish] [--json]</c>: loads a weekly export in this process.</summary>
internal static class ImportVerb
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 1)
            return CommandLine.UsageError("'import' takes one FILE.");
        if (!args.TryWeek(out var week, out var weekError))
            return CommandLine.UsageError(weekError);
        if (!args.OnlyFlags("week", "publish", "json"))
            return CommandLine.UsageError("'import' takes --week, --publish and --json.");
        var path = args.Positional[0];
        if (!File.Exists(path))
            return CommandLine.UsageError($"No such file: {path}");

        await using var host = CommandLine.BuildHost();
        var maxWeeksAhead = host.Services.GetRequiredService<IOptions<RegistryOptions>>().Value.MaxWeeksAhead;
        var today = WeekDates.Today(host.Services.GetRequiredService<TimeProvider>());
        if (WeekDates.Check(week, today, maxWeeksAhead) is var check and not WeekCheck.Valid)
            return CommandLine.UsageError($"--week: {WeekDates.Describe(check, week, today, maxWeeksAhead)}");
        var imports = host.Services.GetRequiredService<ImportService>();
        ImportOutcome outcome;
        await using (var file = File.OpenRead(path))
        {
            try
            {
                outcome = await imports.StoreAndRunAsync(file, Path.GetFileName(path), week, CommandLine.Actor,
                    ImportSources.CommandLine, args.Has("publish"));
            }
            catch (UploadTooLargeException e)
            {
                await Console.Error.WriteLineAsync(e.Message + " (Registry__MaxUploadBytes)");
                return 1;
            }
        }
        if (outcome.State == ImportStates.Duplicate && outcome.Published == false && args.Has("publish"))
            await host.Services.GetRequiredService<WeekPublisher>().PublishAsync(week, CommandLine.Actor, confirmEarlierDrafts: true);

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
}
