using Ashyq.Registry.Core.Weeks;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>
/// A published week and its totals, as the public sees them. <see cref="FlaggedVisitors"/> is null when the
/// week's file had no flagged-visitors column: not reported, which is not zero. <see cref="SourceSha256"/> is
/// the SHA-256 (lower-case hex) of the ministry's file the week was published from, so that anyone holding
/// that file can tell it is the one.
/// </summary>
public sealed record PublishedWeek(
    DateOnly WeekStart, DateTimeOffset PublishedAt, int Participants, int Leaders, int Outsiders,
    int Excluded, int ExcludedByRule, long? FlaggedVisitors, string SourceSha256)
{
    public DateOnly WeekEnd => WeekDates.EndOf(WeekStart);
    public string Key => WeekDates.ToText(WeekStart);
}

/// <summary>A week that was published and then withdrawn: when, and the reason staff gave.</summary>
public sealed record WithdrawnWeek(DateOnly WeekStart, DateTimeOffset WithdrawnAt, string Reason)
{
    public string Key => WeekDates.ToText(WeekStart);
}

/// <summary>A category or district with its name in each language.</summary>
public sealed record NamedCode(string Code, string NameRu, string NameKk, string NameEn)
{
    public string Name(string language) => language switch
    {
        "kk" => NameKk,
        "en" => NameEn,
        _ => NameRu,
    };
}

/// <summary>
/// What almost every public page needs first: the published weeks (newest first) and the names of
/// categories and districts. Read in one round trip; draft and withdrawn weeks never appear.
/// </summary>
public sealed record PublicFacts(
    IReadOnlyList<PublishedWeek> Weeks, IReadOnlyList<NamedCode> Categories, IReadOnlyList<NamedCode> Districts,
    IReadOnlyList<WithdrawnWeek> Withdrawn)
{
    /// <summary>The withdrawn week a page asked for, if it asked for one; its pages answer 410 Gone.</summary>
    public WithdrawnWeek? FindWithdrawn(string? requested) =>
        WeekDates.TryParse(requested, out var week) ? Withdrawn.FirstOrDefault(w => w.WeekStart == week) : null;

    public PublishedWeek? Latest => Weeks.Count > 0 ? Weeks[0] : null;

    /// <summary>The last time a week was published or withdrawn: what a public page shows changes no later than this.</summary>
    public DateTimeOffset? LastChanged => Weeks.Select(w => w.PublishedAt).Concat(Withdrawn.Select(w => w.WithdrawnAt))
        .Select(t => (DateTimeOffset?)t).Max();

    public PublishedWeek? Find(DateOnly week) => Weeks.FirstOrDefault(w => w.WeekStart == week);

    /// <summary>The published week just before the given one, if any.</summary>
    public PublishedWeek? Before(DateOnly week) => Weeks.FirstOrDefault(w => w.WeekStart < week);

    /// <summary>
    /// The week a page asked for: none asked → the latest; asked but malformed or not published → null,
    /// which the page answers with 404.
    /// </summary>
    public PublishedWeek? Resolve(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
            return Latest;
        return WeekDates.TryParse(requested, out var week) ? Find(week) : null;
    }

    public string CategoryName(string code, string language) =>
        Categories.FirstOrDefault(c => c.Code == code)?.Name(language) ?? code;

    public string? DistrictName(string? code, string language) =>
        code is null ? null : Districts.FirstOrDefault(d => d.Code == code)?.Name(language) ?? code;

    public bool IsCategory(string? code) => code is not null && Categories.Any(c => c.Code == code);

    public bool IsDistrict(string? code) => code is not null && Districts.Any(d => d.Code == code);

    public static async Task<PublicFacts> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new($"""
            SELECT week_start, published_at, participants, leaders, outsiders, excluded, excluded_by_rule,
                   CASE WHEN flagged_visitors_reported THEN flagged_visitors END, source_sha256
            FROM weeks WHERE status = '{WeekStatuses.Published}' ORDER BY week_start DESC
            """));
        batch.BatchCommands.Add(new("""
            SELECT 'category', code, name_ru, name_kk, name_en, sort_order FROM categories
            UNION ALL
            SELECT 'district', code, name_ru, name_kk, name_en, sort_order FROM districts
            ORDER BY 1, 6
            """));
        batch.BatchCommands.Add(new("""
            SELECT week_start, coalesce(withdrawn_at, loaded_at), coalesce(withdraw_reason, '')
            FROM weeks WHERE status = 'withdrawn' ORDER BY week_start DESC
            """));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var weeks = new List<PublishedWeek>();
        while (await reader.ReadAsync(cancellationToken))
        {
            weeks.Add(new PublishedWeek(
                reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetString(8)));
        }
        await reader.NextResultAsync(cancellationToken);
        var categories = new List<NamedCode>();
        var districts = new List<NamedCode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var named = new NamedCode(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            (reader.GetString(0) == "category" ? categories : districts).Add(named);
        }
        await reader.NextResultAsync(cancellationToken);
        var withdrawn = new List<WithdrawnWeek>();
        while (await reader.ReadAsync(cancellationToken))
            withdrawn.Add(new WithdrawnWeek(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        return new PublicFacts(weeks, categories, districts, withdrawn);
    }
}
