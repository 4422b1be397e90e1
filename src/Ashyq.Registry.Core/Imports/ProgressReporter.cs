using System.Diagnostics;
using Npgsql;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Writes rows-read-so-far on a connection of its own, so a page can show progress: the first time
/// at once, then at most once a second.
/// </summary>
internal sealed class ProgressReporter(NpgsqlDataSource dataSource, long importId) : IDisposable
{
    private readonly Stopwatch _since = new();

    public void Report(int rowsRead)
    {
        if (_since.IsRunning && _since.ElapsedMilliseconds < 1000)
            return;
        _since.Restart();
        using var command = dataSource.CreateCommand("UPDATE imports SET rows_read = $2 WHERE id = $1");
        command.Parameters.Add(new() { Value = importId });
        command.Parameters.Add(new() { Value = rowsRead });
        command.ExecuteNonQuery();
    }

    public void Dispose() => _since.Stop();
}
