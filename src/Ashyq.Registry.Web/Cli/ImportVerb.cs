using System.Text.Json;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Cli;

/// <summary>
/// <c>import FILE --week yyyy-MM-dd [--publish [--confirm-warnings] [--own-upload]] [--json]</c>: loads a weekly
/// export in this process; with --publish, then publishes it as the <c>publish</c> verb does, under the same checks.
/// </summary>
internal static class ImportVerb
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 1)
            return CommandLine.UsageError("'import' takes one FILE.");
        if (!args.TryWeek(out var week, out var weekError))
            return CommandLine.UsageError(weekError);
        if (!args.OnlyFlags("week", "publish", "confirm-warnings", "own-upload", "json"))
            return CommandLine.UsageError("'import' takes --week, --publish (with --confirm-warnings and --own-upload) and --json.");
        if (!args.Has("publish") && (args.Has("confirm-warnings") || args.Has("own-upload")))
            return CommandLine.UsageError("--confirm-warnings and --own-upload go with --publish.");
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
                outcome = await imports.StoreAndRunAsync(file, Path.GetFileName(path), week, CommandLine.Actor, ImportSources.CommandLine);
            }
            catch (UploadTooLargeException e)
            {
                await Console.Error.WriteLineAsync(e.Message + " (Registry__MaxUploadBytes)");
                return 1;
            }
        }
        var exitCode = outcome.Succeeded ? 0 : 1;
        if (outcome.Succeeded && args.Has("publish"))
        {
            // Loaded (or loaded before): published now under the review's checks, as by the publish verb. With
            // --json, standard output is the summary alone, so the verb's own lines go to standard error.
            exitCode = await PublishVerb.PublishAsync(host.Services, week, confirmEarlierDrafts: true, args.Has("confirm-warnings"),
                args.Has("own-upload"), args.Has("json") ? Console.Error : Console.Out);
            outcome = outcome with { Published = exitCode == 0 };
        }
        if (args.Has("json"))
            Console.WriteLine(JsonSerializer.Serialize(outcome, Json));
        else
            PrintSummary(outcome, path);
        return exitCode;
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
