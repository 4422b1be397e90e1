using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Core.Demo;

/// <summary>
/// Loads the demo weeks the way the chamber would: each generated export file goes through the real
/// import pipeline and is then published, oldest week first.
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
