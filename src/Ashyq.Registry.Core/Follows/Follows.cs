using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Core.Follows;

/// <summary>What a follow is of: a business by BIN, a category or a district by its code.</summary>
public static class FollowKinds
{
    public const string Business = "business";
    public const string Category = "category";
    public const string District = "district";

    public static readonly IReadOnlyList<string> All = [Business, Category, District];
}

public enum SubscribeOutcome
{
    /// <summary>Stored unconfirmed: the confirmation email is to be sent with the token.</summary>
    AwaitingConfirmation,
    /// <summary>The address already follows it, confirmed; nothing is sent.</summary>
    AlreadyConfirmed,
    /// <summary>The address follows as many things as it may.</summary>
    TooMany,
}

public sealed record Subscription(SubscribeOutcome Outcome, long FollowerId, string? ConfirmToken, string UnsubscribeToken, string SiteUrl);

public sealed record ConfirmedFollow(long FollowerId, string Email, string Language, string Kind, string Code, string SiteUrl, string UnsubscribeToken);

/// <summary>
/// Following by email, with no account: an address asks, a link sent to it confirms, a link in every
/// email deletes the address and everything it follows.
/// </summary>
public sealed class Follows(NpgsqlDataSource dataSource, IOptions<FollowOptions> options, TimeProvider clock)
{
    public const int MaxEmailLength = 254;

    /// <summary>An address as stored: trimmed and lower-cased; null when it is not one address.</summary>
    public static string? NormalizeEmail(string? text)
    {
        var email = (text ?? "").Trim().ToLowerInvariant();
        if (email.Length is 0 or > MaxEmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"'))
            return null;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || !email[(at + 1)..].Contains('.', StringComparison.Ordinal))
            return null;
        return MimeKit.MailboxAddress.TryParse(email, out var parsed) && parsed.Address == email ? email : null;
    }

    /// <summary>A new random token for a link: 32 bytes, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task<Subscription> SubscribeAsync(
        string email, string language, string siteUrl, string kind, string code, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The address keeps its token; the language and site of its latest request are what its emails use.
        long followerId;
        string unsubscribe, site;
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO followers (email, language, unsubscribe_token, site_url, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (email) DO UPDATE SET language = excluded.language, site_url = excluded.site_url
            RETURNING id, unsubscribe_token, site_url
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = email });
            upsert.Parameters.Add(new() { Value = language });
            upsert.Parameters.Add(new() { Value = NewToken() });
            upsert.Parameters.Add(new() { Value = siteUrl });
            upsert.Parameters.Add(new() { Value = now });
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            followerId = reader.GetInt64(0);
            unsubscribe = reader.GetString(1);
            site = reader.GetString(2);
        }

        bool? confirmed = null;
        long count;
        await using (var existing = new NpgsqlCommand("""
            SELECT (SELECT confirmed_at IS NOT NULL FROM follows WHERE follower_id = $1 AND kind = $2 AND code = $3),
                   (SELECT count(*) FROM follows WHERE follower_id = $1)
            """, connection, transaction))
        {
            existing.Parameters.Add(new() { Value = followerId });
            existing.Parameters.Add(new() { Value = kind });
            existing.Parameters.Add(new() { Value = code });
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            confirmed = reader.IsDBNull(0) ? null : reader.GetBoolean(0);
            count = reader.GetInt64(1);
        }

        if (confirmed == true)
        {
            await transaction.CommitAsync(cancellationToken);
            return new Subscription(SubscribeOutcome.AlreadyConfirmed, followerId, null, unsubscribe, site);
        }
        if (confirmed is null && count >= options.Value.MaxFollowsPerAddress)
        {
            await transaction.CommitAsync(cancellationToken);
            return new Subscription(SubscribeOutcome.TooMany, followerId, null, unsubscribe, site);
        }

        // Asking again sends a new link; the one sent before stops working.
        var token = NewToken();
        await using (var follow = new NpgsqlCommand("""
            INSERT INTO follows (follower_id, kind, code, confirm_hash, requested_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (follower_id, kind, code) DO UPDATE SET confirm_hash = excluded.confirm_hash, requested_at = excluded.requested_at
            """, connection, transaction))
        {
            follow.Parameters.Add(new() { Value = followerId });
            follow.Parameters.Add(new() { Value = kind });
            follow.Parameters.Add(new() { Value = code });
            follow.Parameters.Add(new() { Value = Hash(token) });
            follow.Parameters.Add(new() { Value = now });
            await follow.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Subscription(SubscribeOutcome.AwaitingConfirmation, followerId, token, unsubscribe, site);
    }

    /// <summary>Confirms the follow the token was sent for; null when no unexpired follow waits for it.</summary>
    public async Task<ConfirmedFollow?> ConfirmAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return null;
        await using var command = dataSource.CreateCommand("""
            UPDATE follows f SET confirmed_at = $2, confirm_hash = NULL
            FROM followers p
            WHERE f.confirm_hash = $1 AND f.confirmed_at IS NULL AND f.requested_at > $3 AND p.id = f.follower_id
            RETURNING p.id, p.email, p.language, f.kind, f.code, p.site_url, p.unsubscribe_token
            """);
        var now = clock.GetUtcNow();
        command.Parameters.Add(new() { Value = Hash(token) });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now.AddDays(-options.Value.UnconfirmedDays) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new ConfirmedFollow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6));
    }

    /// <summary>Deletes the address, everything it follows and what was recorded of its emails.</summary>
    public async Task<bool> UnsubscribeAsync(long followerId, string? token, CancellationToken cancellationToken = default)
    {
        if (!await IsUnsubscribeTokenAsync(followerId, token, cancellationToken))
            return false;
        await using var command = dataSource.CreateCommand("DELETE FROM followers WHERE id = $1");
        command.Parameters.Add(new() { Value = followerId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Deletes follows left unconfirmed too long, and addresses left following nothing.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var follows = new NpgsqlCommand("DELETE FROM follows WHERE confirmed_at IS NULL AND requested_at <= $1", connection, transaction);
        follows.Parameters.Add(new() { Value = clock.GetUtcNow().AddDays(-options.Value.UnconfirmedDays) });
        var deleted = await follows.ExecuteNonQueryAsync(cancellationToken);
        await using var followers = new NpgsqlCommand(
            "DELETE FROM followers p WHERE NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = p.id)", connection, transaction);
        await followers.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>True when the follower exists and the token is its own, compared in constant time.</summary>
    public async Task<bool> IsUnsubscribeTokenAsync(long followerId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return false;
        await using var command = dataSource.CreateCommand("SELECT unsubscribe_token FROM followers WHERE id = $1");
        command.Parameters.Add(new() { Value = followerId });
        if (await command.ExecuteScalarAsync(cancellationToken) is not string stored)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(token));
    }
}
