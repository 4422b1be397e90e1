using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Follows;

/// <summary>
/// The change emails of a published week: one to each confirmed follower for whom something it follows
/// changed against the published week before, recorded with a digest of what it said so that no follower
/// gets the same week twice. When a replacement corrects a week already mailed, a follower mailed for it
/// gets one more email saying the week was corrected, only if what the corrected week says for them
/// differs from what they were sent (also when nothing they follow changed any more); a follower who
/// was not mailed gets the ordinary email if the corrected week now brings a change. A send that fails
/// its attempts is recorded for staff and the week stays pending, for the upkeep to try again.
/// </summary>
public sealed partial class FollowMailing(
    NpgsqlDataSource dataSource, FollowMailer mailer, IOptions<FollowOptions> options, TimeProvider clock, ILogger<FollowMailing> logger)
{
    /// <summary>The session lock one node holds while it mails a week; another waits, then finds the emails sent.</summary>
    private const long LockKey = 0x466f6c6c6f77;

    /// <summary>Records a week's mailing in the publish's own transaction.</summary>
    public static async Task RequestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO follow_mailings (week_start, requested_at) VALUES ($1, $2)
            ON CONFLICT (week_start) DO UPDATE SET requested_at = excluded.requested_at, done_at = NULL
            """, connection, transaction);
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Weeks whose mailing has not finished, published within the retry window.</summary>
    public async Task<IReadOnlyList<DateOnly>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT week_start FROM follow_mailings WHERE done_at IS NULL AND requested_at > $1 ORDER BY week_start");
        command.Parameters.Add(new() { Value = clock.GetUtcNow().AddHours(-options.Value.MailingRetryHours) });
        var weeks = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            weeks.Add(reader.GetFieldValue<DateOnly>(0));
        return weeks;
    }

    /// <returns>The emails sent.</returns>
    public async Task<int> RunAsync(DateOnly week, CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", lockConnection))
            await take.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            if (!mailer.IsConfigured || !await IsPublishedAsync(week, cancellationToken))
            {
                await MarkDoneAsync(week, cancellationToken);
                return 0;
            }
            var previous = await FollowChanges.PreviousPublishedWeekAsync(dataSource, week, cancellationToken);
            var names = await NamesAsync(cancellationToken);
            var changes = new Dictionary<(string Kind, string Code), object?>();
            int sent = 0, failed = 0;
            foreach (var follower in await FollowersAsync(week, cancellationToken))
            {
                var lines = new List<string>();
                foreach (var (kind, code) in follower.Follows)
                {
                    if (!changes.TryGetValue((kind, code), out var change))
                        changes[(kind, code)] = change = await ChangeAsync(kind, code, week, previous, cancellationToken);
                    if (Describe(change, follower, week, previous, names) is { } text)
                        lines.Add(text);
                }
                var digest = Digest(lines);
                // Not mailed and nothing to say; or mailed already, and the week says the same.
                if (follower.Sent ? follower.SentDigest is null || follower.SentDigest == digest : lines.Count == 0)
                    continue;
                if (await SendChangeAsync(follower, week, lines, digest, cancellationToken))
                    sent++;
                else
                    failed++;
            }
            if (failed == 0)
                await MarkDoneAsync(week, cancellationToken);
            LogMailed(week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sent, failed);
            return sent;
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public async Task RecordFailureAsync(long? followerId, string purpose, DateOnly? week, int attempts, string error,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO follow_mail_failures (follower_id, purpose, week_start, failed_at, attempts, error) VALUES ($1, $2, $3, $4, $5, $6)
            """);
        command.Parameters.Add(new() { Value = (object?)followerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = purpose });
        command.Parameters.Add(new() { Value = (object?)week ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = attempts });
        command.Parameters.Add(new() { Value = error.Length > 2000 ? error[..2000] : error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string UnsubscribeUrl(string site, long followerId, string token) =>
        $"{site}/follow/unsubscribe?id={followerId.ToString(CultureInfo.InvariantCulture)}&token={token}";

    /// <summary>What an email says for a follower, as a digest of its lines (the week's date is in them).</summary>
    private static string Digest(List<string> lines) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n\n", lines))));

    private async Task<bool> SendChangeAsync(Follower follower, DateOnly week, List<string> lines, string digest, CancellationToken cancellationToken)
    {
        var language = follower.Language;
        var weekText = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unsubscribe = UnsubscribeUrl(follower.Site, follower.Id, follower.UnsubscribeToken);
        var body = new StringBuilder();
        if (!follower.Sent)
            body.Append(FollowMailText.ChangeIntro.Format(language, weekText));
        else if (lines.Count > 0)
            body.Append(FollowMailText.CorrectedIntro.Format(language, weekText));
        else
            body.Append(FollowMailText.CorrectedNoChange.Format(language, weekText));
        body.Append("\n\n");
        if (lines.Count > 0)
            body.AppendJoin("\n\n", lines).Append("\n\n");
        body.Append("-- \n").Append(FollowMailText.Unsubscribe.Format(language, unsubscribe)).Append('\n');
        var subject = (follower.Sent ? FollowMailText.CorrectedSubject : FollowMailText.ChangeSubject).Format(language, weekText);
        var message = mailer.Compose(follower.Email, subject, body.ToString(), unsubscribe);
        var attempts = options.Value.SendAttempts;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await mailer.SendAsync(message, cancellationToken);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= attempts)
                {
                    LogSendFailed(follower.Id, weekText, e.Message);
                    await RecordFailureAsync(follower.Id, "change", week, attempt, $"{e.GetType().Name}: {e.Message}", cancellationToken);
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(options.Value.RetryDelaySeconds * attempt), clock, cancellationToken);
            }
        }
        await using var record = dataSource.CreateCommand(
            """
            INSERT INTO follow_mail_sent (follower_id, week_start, sent_at, digest) VALUES ($1, $2, $3, $4)
            ON CONFLICT (follower_id, week_start) DO UPDATE SET sent_at = excluded.sent_at, digest = excluded.digest
            """);
        record.Parameters.Add(new() { Value = follower.Id });
        record.Parameters.Add(new() { Value = week });
        record.Parameters.Add(new() { Value = clock.GetUtcNow() });
        record.Parameters.Add(new() { Value = digest });
        await record.ExecuteNonQueryAsync(CancellationToken.None);
        return true;
    }

    private async Task<object?> ChangeAsync(string kind, string code, DateOnly week, DateOnly? previous, CancellationToken cancellationToken) =>
        kind == FollowKinds.Business
            ? await FollowChanges.BusinessAsync(dataSource, code, week, previous, cancellationToken)
            : await FollowChanges.GroupAsync(dataSource, kind, code, week, previous, options.Value.NamesPerChange, cancellationToken);

    private static string? Describe(object? change, Follower follower, DateOnly week, DateOnly? previous, Names names)
    {
        var language = follower.Language;
        var iso = CultureInfo.InvariantCulture;
        switch (change)
        {
            case BusinessChange business when business.Changed:
                return FollowMailText.BusinessChange.Format(language, business.Name, PersonalNumbers.Shown(business.Bin),
                    week.ToString("yyyy-MM-dd", iso), FollowMailText.Status(business.Status, language),
                    previous?.ToString("yyyy-MM-dd", iso) ?? "—", FollowMailText.Status(business.PreviousStatus, language),
                    $"{follower.Site}/business/{business.PageId}?lang={language}");
            case GroupChange group when group.Changed:
                var heading = group.Dimension == FollowKinds.Category ? FollowMailText.CategoryHeading : FollowMailText.DistrictHeading;
                var text = new StringBuilder()
                    .Append(heading.Format(language, names.Of(group.Dimension, group.Code, language))).Append(": ")
                    .Append(FollowMailText.Counts.Format(language, group.Now.Participants, group.Before.Participants, group.Now.Leaders,
                        group.Before.Leaders, group.Now.Outsiders, group.Before.Outsiders, group.Now.Excluded, group.Before.Excluded))
                    .Append('.');
                foreach (var move in group.Moves)
                    text.Append('\n').Append(MoveLine(move, language));
                text.Append('\n').Append(follower.Site).Append("/statistics?week=").Append(week.ToString("yyyy-MM-dd", iso)).Append("&lang=").Append(language);
                return text.ToString();
            default:
                return null;
        }
    }

    /// <summary>"Entered the leaders list: A, B and 3 more".</summary>
    public static string MoveLine(ListMove move, string language)
    {
        var names = string.Join(", ", move.Names);
        if (move.Total > move.Names.Count)
            names += ", " + FollowMailText.More.Format(language, move.Total - move.Names.Count);
        var list = FollowMailText.Lists[move.Status].In(language);
        return (move.Entered ? FollowMailText.Entered : FollowMailText.Left).Format(language, list, names);
    }

    private async Task<bool> IsPublishedAsync(DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM weeks WHERE week_start = $1 AND status = '{WeekStatuses.Published}')");
        command.Parameters.Add(new() { Value = week });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task MarkDoneAsync(DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE follow_mailings SET done_at = $2 WHERE week_start = $1");
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <param name="Sent">Mailed for the week already; <paramref name="SentDigest"/> is what that email said (null: not known).</param>
    private sealed record Follower(long Id, string Email, string Language, string Site, string UnsubscribeToken, bool Sent, string? SentDigest,
        List<(string Kind, string Code)> Follows);

    private async Task<List<Follower>> FollowersAsync(DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.id, p.email, p.language, p.site_url, p.unsubscribe_token, f.kind, f.code, s.follower_id IS NOT NULL, s.digest
            FROM followers p JOIN follows f ON f.follower_id = p.id
            LEFT JOIN follow_mail_sent s ON s.follower_id = p.id AND s.week_start = $1
            WHERE f.confirmed_at IS NOT NULL
            ORDER BY p.id, f.kind, f.code
            """);
        command.Parameters.Add(new() { Value = week });
        var followers = new List<Follower>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (followers.Count == 0 || followers[^1].Id != id)
                followers.Add(new Follower(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetBoolean(7), reader.IsDBNull(8) ? null : reader.GetString(8), []));
            followers[^1].Follows.Add((reader.GetString(5), reader.GetString(6)));
        }
        return followers;
    }

    private sealed class Names(Dictionary<(string, string), string[]> byCode)
    {
        public string Of(string dimension, string code, string language) =>
            byCode.TryGetValue((dimension, code), out var n) ? n[language switch { "kk" => 1, "en" => 2, _ => 0 }] : code;
    }

    private async Task<Names> NamesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'category', code, name_ru, name_kk, name_en FROM categories
            UNION ALL SELECT 'district', code, name_ru, name_kk, name_en FROM districts
            """);
        var byCode = new Dictionary<(string, string), string[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            byCode[(reader.GetString(0), reader.GetString(1))] = [reader.GetString(2), reader.GetString(3), reader.GetString(4)];
        return new Names(byCode);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow emails of the week {Week}: {Sent} sent, {Failed} failed")]
    private partial void LogMailed(string week, int sent, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A follow email to follower {Follower} for the week {Week} failed: {Reason}")]
    private partial void LogSendFailed(long follower, string week, string reason);
}
