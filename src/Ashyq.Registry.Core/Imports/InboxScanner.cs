using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Jobs;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Picks up export files dropped into the inbox folder. The week comes from a date in the file name
/// (yyyy-MM-dd, the week's Monday) or else from the title line's period. Each file is stored, queued
/// and then moved to processed/ (or to failed/ with a note when it cannot be taken): never deleted.
/// </summary>
public sealed partial class InboxScanner(
    ImportQueue queue, IOptions<RegistryOptions> options, ILogger<InboxScanner> logger)
{
    public const string ProcessedFolder = "processed";
    public const string FailedFolder = "failed";

    public async Task<IReadOnlyList<long>> ScanAsync(CancellationToken cancellationToken = default)
    {
        var inbox = options.Value.InboxPath;
        if (string.IsNullOrWhiteSpace(inbox))
            return [];
        if (!Directory.Exists(inbox))
        {
            logger.LogError("The inbox folder {Inbox} does not exist or cannot be read", inbox);
            return [];
        }

        // A file is stored only once it can be moved aside afterwards: one left behind would be stored
        // again as a duplicate on every scan.
        List<string> files;
        try
        {
            EnsureWritable(inbox);
            files = Directory.EnumerateFiles(inbox).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("The inbox folder {Inbox} cannot be read or written ({Reason}); nothing is taken from it until it can", inbox, e.Message);
            return [];
        }

        var queued = new List<long>();
        foreach (var path in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase))
                continue; // still being written by whoever drops it
            try
            {
                var week = WeekFromName(name) ?? WeekFromTitle(path);
                if (week is null)
                {
                    MoveAside(path, FailedFolder, "No week found: name the file with the week's Monday (yyyy-MM-dd) or give it a title line with the period.");
                    continue;
                }
                StoredImport stored;
                await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                    stored = await queue.StoreAndQueueAsync(stream, name, week.Value, "inbox", ImportSources.Inbox, cancellationToken: cancellationToken);
                MoveAside(path, ProcessedFolder, null);
                queued.Add(stored.Id);
                logger.LogInformation("Inbox file {File} stored as import {ImportId}", name, stored.Id);
            }
            catch (Exception e) when (e is ArgumentException or UploadTooLargeException)
            {
                MoveAside(path, FailedFolder, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Inbox file {File} could not be read or moved ({Reason}); it stays in the inbox", name, e.Message);
            }
        }
        return queued;
    }

    private static void EnsureWritable(string inbox)
    {
        foreach (var folder in new[] { ProcessedFolder, FailedFolder })
        {
            var dir = Path.Combine(inbox, folder);
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
    }

    internal static DateOnly? WeekFromName(string name)
    {
        var match = IsoDate().Match(name);
        if (!match.Success || !WeekDates.TryParse(match.Value, out var date))
            return null;
        return WeekDates.MondayOf(date);
    }

    private DateOnly? WeekFromTitle(string path)
    {
        try
        {
            using var file = ExportFile.Open(path, Path.GetFileName(path), new CategoryMatcher([]), ExportLimits.From(options.Value));
            return file.TitlePeriodStart is { } start ? WeekDates.MondayOf(start) : null;
        }
        catch (ExportFileException)
        {
            return null;
        }
    }

    private void MoveAside(string path, string folder, string? reason)
    {
        var dir = Path.Combine(Path.GetDirectoryName(path)!, folder);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Path.GetFileName(path)}");
        File.Move(path, target);
        if (reason is not null)
        {
            File.WriteAllText(target + ".reason.txt", reason);
            logger.LogWarning("Inbox file {File} moved to {Folder}: {Reason}", Path.GetFileName(path), folder, reason);
        }
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();
}
