using Npgsql;

namespace Ashyq.Registry.Core.Privacy;

/// <summary>
/// A legal entity's BIN is public; an individual entrepreneur is listed under the owner's IIN, which is
/// personal data. Both are twelve digits: a BIN's fifth digit is 4, 5 or 6 (the kind of entity), an IIN's
/// is the first digit of the day of birth (0–3). Any other fifth digit is treated as an IIN, so that a
/// number of unknown kind is never shown in full. docs/privacy.md gives the rule and its reasons.
/// </summary>
public static class PersonalNumbers
{
    /// <summary>How many of an IIN's last digits the public sees: enough to tell two namesakes apart.</summary>
    public const int ShownDigits = 4;

    /// <summary>The SQL condition, on a column or expression named by <paramref name="column"/>, that a number is a public BIN.</summary>
    public static string SqlIsPublic(string column) => $"substr({column}, 5, 1) IN ('4', '5', '6')";

    /// <summary>True when the number is a legal entity's BIN, which may be published in full.</summary>
    public static bool IsPublic(ReadOnlySpan<char> number) => number.Length == 12 && number[4] is '4' or '5' or '6';

    /// <summary>The number as the public sees it: a BIN in full; an IIN as eight asterisks and its last four digits.</summary>
    public static string Shown(string number) =>
        IsPublic(number) ? number : new string('*', number.Length - ShownDigits) + number[^ShownDigits..];

    /// <summary>
    /// Gives every individual the week lists a public identifier of its own, once: a random one,
    /// stored, so that it stays the same across weeks and restarts and tells nothing of the IIN.
    /// </summary>
    public static async Task AssignPublicIdsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly week, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO business_public_ids (bin, public_id)
            SELECT r.bin, {NewPublicIdSql}
            FROM week_rows r
            WHERE r.week_start = $1 AND NOT {SqlIsPublic("r.bin")}
              AND NOT EXISTS (SELECT 1 FROM business_public_ids p WHERE p.bin = r.bin)
            ON CONFLICT (bin) DO NOTHING
            """, connection, transaction);
        command.Parameters.Add(new() { Value = week });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>"ie-" and sixteen hexadecimal digits drawn from the server's strong random source.</summary>
    public const string NewPublicIdSql = "'ie-' || substr(md5(gen_random_uuid()::text), 1, 16)";

    /// <summary>True when the text has the shape of a public identifier (it is never twelve digits).</summary>
    public static bool IsPublicIdShape(string text) =>
        text.Length == 19 && text.StartsWith("ie-", StringComparison.Ordinal) && text.AsSpan(3).IndexOfAnyExcept(HexDigits) < 0;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
}
