using System.Runtime.CompilerServices;
using System.Text;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Lists;

/// <summary>The four lists of a published week the public can read and download.</summary>
public enum ListKind
{
    Leaders,
    Outsiders,
    Excluded,
    Participants,
}

public static class ListKinds
{
    /// <summary>The kind as it appears in download and API addresses.</summary>
    public static string Code(this ListKind kind) => kind switch
    {
        ListKind.Leaders => "leaders",
        ListKind.Outsiders => "outsiders",
        ListKind.Excluded => "excluded",
        _ => "participants",
    };

    /// <summary>The kind from an address; "exclusions", the name of the exclusions page, is taken for "excluded" too.</summary>
    public static bool TryParse(string? code, out ListKind kind)
    {
        if (string.Equals(code, "exclusions", StringComparison.OrdinalIgnoreCase))
        {
            kind = ListKind.Excluded;
            return true;
        }
        foreach (var candidate in Enum.GetValues<ListKind>())
        {
            if (string.Equals(candidate.Code(), code, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    internal static string StatusCondition(this ListKind kind) => kind switch
    {
        ListKind.Leaders => "r.status = 'leader'",
        ListKind.Outsiders => "r.status = 'outsider'",
        ListKind.Excluded => "r.status = 'excluded'",
        _ => "r.status <> 'excluded'",
    };
}

public static class ListSorts
{
    public const string Name = "name";
    public const string ScansDescending = "scans";
    public const string ScansAscending = "scans-asc";

    public static readonly string[] All = [Name, ScansDescending, ScansAscending];

    public static string Normalize(string? sort) => All.Contains(sort) ? sort! : Name;
}

/// <summary>
/// Which rows of a list to show: the week is already known to be published; q is a name fragment or
/// the digits of a BIN; category and district are codes (unknown codes are ignored).
/// </summary>
public sealed record ListFilter(DateOnly Week, ListKind Kind, string? Q = null, string? Category = null, string? District = null, string? Sort = null);

/// <summary>A row of a list. Id is the business's public identifier, Number its BIN as the public sees it (an IIN masked).</summary>
public sealed record ListItem(
    string Id, string Number, string Name, string CategoryCode, string? DistrictCode, string? Address, DateOnly? JoinedOn,
    int Scans, int FlaggedVisitors, string Status, string? Reason, string? ExclusionSource, DateOnly? ReadmittedOn);

public sealed record ListPage(int Total, int Page, int PageSize, IReadOnlyList<ListItem> Items)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// One query for the list pages, the downloads and the API: paged (count and page in one round trip)
/// or streamed row by row for a download of any size.
/// </summary>
public static class ListQuery
{
    public const int PageSize = 50;
    public const int MaxPageSize = 500;

    public static async Task<ListPage> PageAsync(
        NpgsqlDataSource dataSource, ListFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var where = Where(filter);

        await using var batch = dataSource.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*)::int FROM week_rows r {where.Sql}");
        where.Bind(count.Parameters);
        batch.BatchCommands.Add(count);
        var rows = new NpgsqlBatchCommand($"{Select(filter)} {where.Sql} ORDER BY {OrderBy(filter.Sort)} LIMIT @limit OFFSET @offset");
        where.Bind(rows.Parameters);
        rows.Parameters.AddWithValue("limit", pageSize);
        rows.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        batch.BatchCommands.Add(rows);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<ListItem>(pageSize);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(Read(reader));
        return new ListPage(total, page, pageSize, items);
    }

    /// <summary>Every row of the list, read from the database as the caller writes them out.</summary>
    public static async IAsyncEnumerable<ListItem> StreamAsync(
        NpgsqlDataSource dataSource, ListFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var where = Where(filter);
        await using var command = dataSource.CreateCommand($"{Select(filter)} {where.Sql} ORDER BY {OrderBy(filter.Sort)}");
        where.Bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return Read(reader);
    }

    /// <summary>
    /// Every row of every published week (a withdrawn or draft week has none here), oldest week first and
    /// in each week in the order of its lists, read as the caller writes them out.
    /// </summary>
    public static async IAsyncEnumerable<(DateOnly Week, ListItem Item)> StreamArchiveAsync(
        NpgsqlDataSource dataSource, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            {Select(new ListFilter(default, ListKind.Participants), ", r.week_start")}
            JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
            ORDER BY r.week_start, {OrderBy(ListSorts.Name)}
            """);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = Read(reader);
            yield return (reader.GetFieldValue<DateOnly>(13), item);
        }
    }

    /// <summary>
    /// The SQL condition a search by digits puts on a number column: a legal entity's BIN matches from
    /// its first digits on, an individual's IIN only when all twelve are given (its first six are a birth
    /// date, which a search by prefix would let anyone read off digit by digit).
    /// </summary>
    public static string NumberMatch(string column, string digits, string parameter) =>
        digits.Length == 12 ? $"{column} = @{parameter}" : $"{column} LIKE @{parameter} AND {PersonalNumbers.SqlIsPublic(column)}";

    /// <summary>The value for <see cref="NumberMatch"/>'s parameter.</summary>
    public static string NumberPattern(string digits) => digits.Length == 12 ? digits : digits + "%";

    /// <summary>
    /// Splits a search text into BIN digits (spaces allowed) or a lower-case name fragment.
    /// </summary>
    public static (string? BinDigits, string? NameFragment) ParseSearch(string? q)
    {
        var text = q?.Trim();
        if (string.IsNullOrEmpty(text))
            return (null, null);
        var digits = text.Replace(" ", "", StringComparison.Ordinal);
        if (digits.All(char.IsAsciiDigit))
            return (digits, null);
        return (null, text.ToLowerInvariant());
    }

    /// <summary>A LIKE pattern matching the text anywhere, with LIKE's own characters taken literally.</summary>
    public static string ContainsPattern(string text)
    {
        var escaped = new StringBuilder(text.Length + 2).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.Append('%').ToString();
    }

    private static string Select(ListFilter filter, string moreColumns = "") => $"""
        SELECT coalesce(pid.public_id, r.bin), r.bin, r.name, r.category_code, r.district_code, r.address, r.joined_on, r.scans, r.flagged_visitors,
               r.status, r.reason, r.exclusion_source,
               {(filter.Kind == ListKind.Excluded ? ReadmittedOn : "NULL::date")}{moreColumns}
        FROM week_rows r
        LEFT JOIN business_public_ids pid ON pid.bin = r.bin
        """;

    // The first later published week that lists an excluded business again with another status.
    private const string ReadmittedOn = $"""
        (SELECT min(l.week_start) FROM week_rows l
         JOIN weeks lw ON lw.week_start = l.week_start AND lw.status = '{WeekStatuses.Published}'
         WHERE l.bin = r.bin AND l.week_start > r.week_start AND l.status <> 'excluded')
        """;

    private static string OrderBy(string? sort) => ListSorts.Normalize(sort) switch
    {
        ListSorts.ScansDescending => "r.scans DESC, r.name, r.bin",
        ListSorts.ScansAscending => "r.scans, r.name, r.bin",
        _ => "r.name, r.bin",
    };

    private static ListItem Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        PersonalNumbers.Shown(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6),
        reader.GetInt32(7),
        reader.GetInt32(8),
        reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12));

    private sealed record WhereClause(string Sql, IReadOnlyList<(string Name, object Value)> Values)
    {
        public void Bind(NpgsqlParameterCollection parameters)
        {
            foreach (var (name, value) in Values)
                parameters.AddWithValue(name, value);
        }
    }

    private static WhereClause Where(ListFilter filter)
    {
        var sql = new StringBuilder($"""
            JOIN weeks w ON w.week_start = r.week_start AND w.status = '{WeekStatuses.Published}'
            WHERE r.week_start = @week AND
            """);
        sql.Append(' ').Append(filter.Kind.StatusCondition());
        var values = new List<(string, object)> { ("week", filter.Week) };

        var (binDigits, nameFragment) = ParseSearch(filter.Q);
        if (binDigits is not null)
        {
            sql.Append(" AND ").Append(NumberMatch("r.bin", binDigits, "bin"));
            values.Add(("bin", NumberPattern(binDigits)));
        }
        else if (nameFragment is not null)
        {
            sql.Append(" AND lower(r.name) LIKE @name");
            values.Add(("name", ContainsPattern(nameFragment)));
        }
        if (!string.IsNullOrEmpty(filter.Category))
        {
            sql.Append(" AND r.category_code = @category");
            values.Add(("category", filter.Category));
        }
        if (filter.District == "unknown")
        {
            sql.Append(" AND r.district_code IS NULL");
        }
        else if (!string.IsNullOrEmpty(filter.District))
        {
            sql.Append(" AND r.district_code = @district");
            values.Add(("district", filter.District));
        }
        return new WhereClause(sql.ToString(), values);
    }
}
