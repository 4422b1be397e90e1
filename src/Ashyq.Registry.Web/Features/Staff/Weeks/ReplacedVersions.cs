using Npgsql;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

/// <summary>A published version of a week that a replacement took the place of; its import keeps the file.</summary>
public sealed record ReplacedVersion(
    long ImportId, long ReplacedByImport, DateTimeOffset ReplacedAt, string ReplacedBy, string Reason,
    int ParticipantsBefore, int ParticipantsAfter);

public static class ReplacedVersions
{
    public static async Task<IReadOnlyList<ReplacedVersion>> LoadAsync(NpgsqlDataSource dataSource, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT import_id, replaced_by_import, replaced_at, replaced_by, reason, participants_before, participants_after
            FROM week_versions WHERE week_start = $1 ORDER BY replaced_at DESC, id DESC
            """);
        command.Parameters.Add(new() { Value = week });
        var versions = new List<ReplacedVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new ReplacedVersion(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6)));
        }
        return versions;
    }
}
