using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Core.Demo;

/// <summary>
/// Loads the demo weeks the way the chamber would: each generated export file goes through the real
/// import pipeline and is then published, oldest week first. Each week is then dated as the chamber would
/// have published it, the Monday after it ends; the audit log keeps the real time of the publish.
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, ImportService imports, WeekPublisher publisher)
{
    public const string Actor = "demo";

    /// <summary>True when the database holds no week at all, the only time the demo is loaded.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT NOT EXISTS (SELECT 1 FROM weeks)");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task DateThePublicationAsync(DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE weeks SET published_at = $2 WHERE week_start = $1");
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = DemoExportGenerator.PublishedAt(week).ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ImportOutcome>> SeedAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ashyq-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var outcomes = new List<ImportOutcome>();
            foreach (var export in DemoExportGenerator.WriteAll(folder))
            {
                ImportOutcome outcome;
                await using (var file = File.OpenRead(export.Path))
                    outcome = await imports.StoreAndRunAsync(file, Path.GetFileName(export.Path), export.WeekStart, Actor, ImportSources.Demo, cancellationToken: cancellationToken);
                if (!outcome.Succeeded)
                    throw new InvalidOperationException($"The demo file {Path.GetFileName(export.Path)} was refused: {outcome.Error}");
                await publisher.PublishAsync(export.WeekStart, Actor, cancellationToken: cancellationToken);
                await DateThePublicationAsync(export.WeekStart, cancellationToken);
                outcomes.Add(outcome);
            }
            return outcomes;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
