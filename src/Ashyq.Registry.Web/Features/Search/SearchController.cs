using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Search;

/// <summary>A business found; Id is its public identifier, Number its BIN as the public sees it (an IIN masked).</summary>
public sealed record SearchHit(
    string Id, string Number, string Name, string CategoryCode, string? DistrictCode, string CurrentStatus, DateOnly LastListedWeek);

public sealed record SearchModel(string? Q, PublicFacts Facts, int Total, int Page, IReadOnlyList<SearchHit> Hits)
{
    public int PageCount => Math.Max(1, (Total + SearchQuery.PageSize - 1) / SearchQuery.PageSize);

    /// <summary>True when the name matched more businesses than a search ranks; the page asks for more words.</summary>
    public bool Capped => Total >= SearchQuery.MaxCandidates;
}

/// <summary>
/// Finds businesses in their public view (every business some published week lists): by BIN digits,
/// or by name — exact, then starting with, then containing the text, then similar to it (pg_trgm),
/// so that a typo still finds the business.
/// </summary>
public static class SearchQuery
{
    public const int PageSize = 50;

    /// <summary>
    /// How many name matches are ranked at most. A word that half the city's names contain would
    /// otherwise rank a hundred thousand rows for every request; an exact name is always among them.
    /// </summary>
    public const int MaxCandidates = 1000;

    public static async Task<(int Total, IReadOnlyList<SearchHit> Hits)> RunAsync(
        NpgsqlDataSource dataSource, string q, int page, CancellationToken cancellationToken)
    {
        var (binDigits, name) = ListQuery.ParseSearch(q);
        if (binDigits is null && name is null)
            return (0, []);

        await using var command = dataSource.CreateCommand();
        if (binDigits is not null)
        {
            command.CommandText = $"""
                SELECT f.bin, f.name, f.category_code, f.district_code, c.status, c.week_start, f.total,
                       (SELECT p.public_id FROM business_public_ids p WHERE p.bin = f.bin)
                FROM (SELECT bin, name, category_code, district_code, count(*) OVER ()::int AS total
                      FROM businesses WHERE {ListQuery.NumberMatch("bin", binDigits, "bin")}
                      ORDER BY bin LIMIT @limit OFFSET @offset) f
                CROSS JOIN LATERAL ({CurrentWeekSql("f.bin")}) c
                ORDER BY f.bin
                """;
            command.Parameters.AddWithValue("bin", ListQuery.NumberPattern(binDigits));
        }
        else
        {
            // Names that equal or contain the text first; only when none does, names merely similar to it
            // (a typo). Both are served by the trigram index; the similar-names scan, which touches far
            // more of it, so runs only when it is the search's one hope.
            command.CommandText = NameSearch("lower(name) LIKE @contains", exactFirst: true);
            command.Parameters.AddWithValue("q", name!);
            var contains = ListQuery.ContainsPattern(name!);
            command.Parameters.AddWithValue("contains", contains);
            command.Parameters.AddWithValue("prefix", contains[1..]);
            command.Parameters.AddWithValue("cap", MaxCandidates);
        }
        command.Parameters.AddWithValue("limit", PageSize);
        command.Parameters.AddWithValue("offset", (long)(Math.Max(1, page) - 1) * PageSize);

        var hits = new List<SearchHit>();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(Hit(reader));
            total = reader.GetInt32(6);
        }
        if (total == 0 && name is not null)
        {
            await reader.DisposeAsync();
            command.CommandText = NameSearch("@q <% lower(name)", exactFirst: false);
            await using var similar = await command.ExecuteReaderAsync(cancellationToken);
            while (await similar.ReadAsync(cancellationToken))
            {
                hits.Add(Hit(similar));
                total = similar.GetInt32(6);
            }
        }
        return (total, hits);
    }

    private static SearchHit Hit(NpgsqlDataReader reader)
    {
        var bin = reader.GetString(0);
        return new SearchHit(
            reader.IsDBNull(7) ? bin : reader.GetString(7), PersonalNumbers.Shown(bin), reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateOnly>(5));
    }

    private static string NameSearch(string match, bool exactFirst) => $"""
        WITH candidates AS MATERIALIZED (
            {(exactFirst ? "(SELECT bin, name, category_code, district_code FROM businesses WHERE lower(name) = @q) UNION" : "")}
            (SELECT bin, name, category_code, district_code
             FROM businesses WHERE {match}
             LIMIT @cap)),
        page AS (
            SELECT bin, name, category_code, district_code,
                   CASE WHEN lower(name) = @q THEN 0
                        WHEN lower(name) LIKE @prefix THEN 1
                        WHEN lower(name) LIKE @contains THEN 2
                        ELSE 3 END AS rank,
                   word_similarity(@q, lower(name)) AS similarity
            FROM candidates
            ORDER BY rank, similarity DESC, name, bin
            LIMIT @limit OFFSET @offset)
        SELECT page.bin, page.name, page.category_code, page.district_code, c.status, c.week_start,
               (SELECT count(*) FROM candidates)::int,
               (SELECT p.public_id FROM business_public_ids p WHERE p.bin = page.bin)
        FROM page CROSS JOIN LATERAL ({CurrentWeekSql("page.bin")}) c
        ORDER BY page.rank, page.similarity DESC, page.name, page.bin
        """;

    // The newest published week that lists the business, with its status there: business_weeks holds the
    // published weeks only, and its primary key (bin, week_start) carries the status, so this is one index
    // page for each business a page shows (only those, not every candidate ranked).
    private static string CurrentWeekSql(string bin) => $"""
        SELECT h.status, h.week_start FROM business_weeks h WHERE h.bin = {bin} ORDER BY h.week_start DESC LIMIT 1
        """;
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class SearchController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource) : Controller
{
    [HttpGet("/search")]
    public async Task<IActionResult> Index(string? q, int page = 1, CancellationToken cancellationToken = default)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts);
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query))
            return View(new SearchModel(null, facts, 0, 1, []));
        var (total, hits) = await SearchQuery.RunAsync(dataSource, query, page, cancellationToken);
        // An individual's full IIN leads straight to the business's permalink, so that no page repeats
        // it; when nothing is found the page repeats it masked, as everywhere else.
        var individual = Business.BusinessQuery.TryNormalizeBin(query, out var number) && !PersonalNumbers.IsPublic(number);
        if (individual && hits.Count == 1)
            return Redirect($"/business/{hits[0].Id}");
        // A page past the end counts nothing itself; the first page says how many there are to page through.
        if (hits.Count == 0 && page > 1)
            (total, _) = await SearchQuery.RunAsync(dataSource, query, 1, cancellationToken);
        return View(new SearchModel(individual ? PersonalNumbers.Shown(number) : query, facts, total, Math.Max(1, page), hits));
    }
}
