using System.Globalization;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Staff.Weeks;

namespace Ashyq.Registry.Web.Cli;

/// <summary>
/// <c>publish --week yyyy-MM-dd [--confirm] [--confirm-warnings] [--own-upload]</c>: publishes a loaded week
/// under the checks of the staff area's review (PublishChecks): the review's warnings are printed and the
/// week is published only with --confirm-warnings, and under the second-person rule the account that
/// loaded the file publishes it only with --own-upload (whoever runs verbs at the server is taken as an
/// Admin). What was confirmed is in the audit log, as from the review page.
/// </summary>
internal static class PublishVerb
{
    public static async Task<int> RunAsync(Arguments args)
    {
        if (args.Positional.Count != 0 || !args.OnlyFlags("week", "confirm", "confirm-warnings", "own-upload"))
            return CommandLine.UsageError("'publish' takes --week, --confirm, --confirm-warnings and --own-upload.");
        if (!args.TryWeek(out var week, out var weekError))
            return CommandLine.UsageError(weekError);
        await using var host = CommandLine.BuildHost();
        return await PublishAsync(host.Services, week, args.Has("confirm"), args.Has("confirm-warnings"), args.Has("own-upload"), Console.Out);
    }

    /// <summary>Publishes <paramref name="week"/> as the verb does; also the end of <c>import --publish</c>.</summary>
    internal static async Task<int> PublishAsync(IServiceProvider services, DateOnly week, bool confirmEarlierDrafts, bool confirmWarnings, bool ownUpload,
        TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var checks = scope.ServiceProvider.GetRequiredService<PublishChecks>();
        var publisher = scope.ServiceProvider.GetRequiredService<WeekPublisher>();
        var day = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (await checks.LoadAsync(week, CancellationToken.None) is not { } check)
        {
            await Console.Error.WriteLineAsync($"No week of {day} has been loaded.");
            return 1;
        }
        if (check.Review.Status == WeekStatuses.Published)
        {
            // A file waiting to replace the published week is the staff area's to review and publish, with a reason.
            output.WriteLine(check.Review.Replacement is null
                ? $"The week of {day} was already published."
                : $"The week of {day} is published; the file waiting to replace it is published from its review page in the staff area.");
            return 0;
        }

        var details = new List<string>();
        if (checks.NeedsSecondPerson(check, CommandLine.Actor))
        {
            if (!ownUpload)
            {
                await Console.Error.WriteLineAsync(
                    $"The week's file was loaded by {check.UploadedBy}, and under the second-person rule (Publishing__RequireSecondPerson) " +
                    "someone else publishes it. To publish your own upload as an Admin, add --own-upload; the audit log records it.");
                return 1;
            }
            details.Add(PublishChecks.OwnUploadDetail);
        }
        if (check.Warnings.Count > 0)
        {
            var lines = check.Warnings.Select(w => "  - " + Describe(w, checks.ChangeWarningPercent));
            if (!confirmWarnings)
            {
                await Console.Error.WriteLineAsync(
                    $"The review of the week of {day} found {check.Warnings.Count} thing(s) to check before it goes public:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, lines) + Environment.NewLine +
                    "Nothing was published. Check them (the week's review page in the staff area shows them too) and add --confirm-warnings to publish anyway.");
                return 1;
            }
            output.WriteLine($"Publishing with {check.Warnings.Count} confirmed warning(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
            details.Add(PublishChecks.WarningsDetail(check.Warnings));
        }

        var outcome = await publisher.PublishAsync(week, CommandLine.Actor, confirmEarlierDrafts, expectedImportId: check.ImportId,
            auditDetails: details.Count == 0 ? null : string.Join("; ", details));
        switch (outcome)
        {
            case PublishOutcome.Published:
                output.WriteLine($"The week of {day} is published.");
                return 0;
            case PublishOutcome.AlreadyPublished:
                output.WriteLine($"The week of {day} was already published.");
                return 0;
            case PublishOutcome.NeedsConfirmation:
                var drafts = await publisher.EarlierDraftsAsync(week);
                await Console.Error.WriteLineAsync(
                    $"Earlier weeks are still drafts ({string.Join(", ", drafts.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}); " +
                    "the exclusion rule counts published weeks only. Publish them first, or add --confirm.");
                return 1;
            case PublishOutcome.ImportChanged:
                await Console.Error.WriteLineAsync($"Another file was loaded for the week of {day} while it was checked; nothing was published. Run the verb again.");
                return 1;
            default:
                await Console.Error.WriteLineAsync($"No week of {day} has been loaded.");
                return 1;
        }
    }

    /// <summary>A warning in a sentence, in English as the verbs' other output.</summary>
    private static string Describe(PublishWarning warning, double changePercent) => warning.Kind switch
    {
        PublishWarning.Change => string.Create(CultureInfo.InvariantCulture,
            $"{warning.Subject}: {warning.Before:N0} in the latest published week, {warning.After:N0} now ({100.0 * (warning.After - warning.Before) / warning.Before:+0;-0} %, more than {changePercent:0.#} %)"),
        PublishWarning.CategoryToZero => string.Create(CultureInfo.InvariantCulture,
            $"the category {warning.Name ?? warning.Subject} ({warning.Subject}) had {warning.Before:N0} participants and has none now"),
        PublishWarning.DistrictToZero => string.Create(CultureInfo.InvariantCulture,
            $"the district {warning.Name ?? warning.Subject} ({warning.Subject}) had {warning.Before:N0} participants and has none now"),
        PublishWarning.ColumnMissing => $"the file has no {(warning.Subject == "flagged" ? "flagged-visitors" : warning.Subject)} column: its figures will read \"not reported\"",
        _ => $"the file's title line names a period starting {warning.Subject}, not this week",
    };
}
