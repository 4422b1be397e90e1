using System.Globalization;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Search;

/// <summary>A business found; Id is its public identifier, Number its BIN as the public sees it (an IIN masked).</summary>
/// <param name="AddressMatched">True when a word of the search is in the business's address.</param>
public sealed record SearchHit(
    string Id, string Number, string Name, string CategoryCode, string? DistrictCode, string? Address, string CurrentStatus, DateOnly LastListedWeek,
    bool AddressMatched);

/// <param name="Shortened">True when the text was longer, or had more words, than a search takes; the page says what was left out.</param>
public sealed record SearchModel(string? Q, PublicFacts Facts, int Total, int Page, IReadOnlyList<SearchHit> Hits, bool Shortened = false)
{
    public int PageCount => Math.Max(1, (Total + SearchQuery.PageSize - 1) / SearchQuery.PageSize);

    /// <summary>True when the name matched more businesses than a search ranks; the page asks for more words.</summary>
    public bool Capped => Total >= SearchQuery.MaxCandidates;
}

/// <summary>
/// A search text read for its parts. <see cref="Searched"/> is the text as searched (cut to the longest a
/// search takes), <see cref="Text"/> the same in lower case; <see cref="Digits"/> its digits when it holds nothing else; <see cref="Words"/>
/// the words each match must hold in its name or address, with <see cref="Districts"/> naming, for each
/// word, the districts whose names start with it (a match may hold the word in its district's name instead).
/// </summary>
public sealed record SearchTerms(string Searched, string Text, string? Digits, IReadOnlyList<string> Words, IReadOnlyList<string[]> Districts, bool Shortened)
{
    private static readonly char[] Separators = [' ', '\t', ',', ';', '/'];
    private static readonly char[] EdgePunctuation = ['.', ',', ':', ';', '!', '?', '(', ')', '«', '»', '"', '\'', '“', '”', '„'];

    // Words that say "district" in each language: "Алмалинский район" names a district, not a street called "район".
    private static readonly string[] DistrictWords = ["район", "р-н", "ауданы", "аудан", "district"];

    /// <summary>A district is named by a word of three letters or more that one of its names (in any language) starts with.</summary>
    private const int DistrictWordMinimum = 3;

    public static SearchTerms Parse(string q, IReadOnlyList<NamedCode> districts, SearchOptions options)
    {
        var text = q.Trim();
        var shortened = false;
        if (text.Length > options.MaxQueryCharacters)
        {
            var cut = options.MaxQueryCharacters;
            if (char.IsHighSurrogate(text[cut - 1]))
                cut--;
            text = text[..cut].TrimEnd();
            shortened = true;
        }
        var lower = text.ToLowerInvariant();
        var compact = text.Replace(" ", "", StringComparison.Ordinal);
        var digits = compact.Length > 0 && compact.All(char.IsAsciiDigit) ? compact : null;

        var words = lower.Split(Separators, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim(EdgePunctuation))
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var named = words.Select(w => DistrictsNamed(w, districts)).ToList();
        if (named.Any(d => d.Length > 0))
        {
            for (var i = words.Count - 1; i >= 0; i--)
            {
                if (DistrictWords.Contains(words[i]))
                {
                    words.RemoveAt(i);
                    named.RemoveAt(i);
                }
            }
        }
        if (words.Count > options.MaxWords)
        {
            words.RemoveRange(options.MaxWords, words.Count - options.MaxWords);
            named.RemoveRange(options.MaxWords, named.Count - options.MaxWords);
            shortened = true;
        }
        return new SearchTerms(text, lower, digits, words, named, shortened);
    }

    private static string[] DistrictsNamed(string word, IReadOnlyList<NamedCode> districts) =>
        word.Length < DistrictWordMinimum
            ? []
            : [.. districts
                .Where(d => new[] { d.NameRu, d.NameKk, d.NameEn }.Any(name =>
                    name.ToLowerInvariant().Split(' ', '-').Any(part => part.StartsWith(word, StringComparison.Ordinal))))
                .Select(d => d.Code)];
}

/// <summary>
/// Finds businesses in their public view (every business some published week lists). Ranked: the name
/// equal to the text; names that start with it; names that contain it; names holding every word of it;
/// names and addresses (and district names) holding every word; then, for a text of digits, BINs that
/// start with them. Twelve digits are one number and find that business alone; an individual's IIN is
/// found only so, never by its first digits (docs/privacy.md). When nothing matches, names similar to the
/// text (pg_trgm), so that a typo still finds the business.
/// </summary>
public static class SearchQuery
{
    public const int PageSize = 50;

    /// <summary>
    /// How many matches each way of matching ranks at most. A word that half the city's names contain would
    /// otherwise rank a hundred thousand rows for every request; an exact name is always among them.
    /// </summary>
    public const int MaxCandidates = 1000;

    // The expression ix_businesses_search_trgm indexes: the name and the address in one text.
    private const string NameAndAddress = "lower(b.name || ' ' || coalesce(b.address, ''))";

    public static async Task<(int Total, IReadOnlyList<SearchHit> Hits)> RunAsync(
        NpgsqlDataSource dataSource, SearchTerms terms, int page, CancellationToken cancellationToken)
    {
        if (terms.Text.Length == 0)
            return (0, []);

        await using var command = dataSource.CreateCommand();
        command.Parameters.AddWithValue("q", terms.Text);
        var contains = ListQuery.ContainsPattern(terms.Text);
        command.Parameters.AddWithValue("contains", contains);
        command.Parameters.AddWithValue("prefix", contains[1..]);
        command.Parameters.AddWithValue("cap", MaxCandidates);
        command.Parameters.AddWithValue("limit", PageSize);
        command.Parameters.AddWithValue("offset", (long)(Math.Max(1, page) - 1) * PageSize);
        for (var i = 0; i < terms.Words.Count; i++)
        {
            command.Parameters.AddWithValue("w" + i.ToString(CultureInfo.InvariantCulture), ListQuery.ContainsPattern(terms.Words[i]));
            if (terms.Districts[i].Length > 0)
                command.Parameters.AddWithValue("d" + i.ToString(CultureInfo.InvariantCulture), terms.Districts[i]);
        }

        if (terms.Digits is { Length: 12 } number)
        {
            command.CommandText = Ranked(terms, $"SELECT b.bin FROM businesses b WHERE {ListQuery.NumberMatch("b.bin", number, "bin")}");
            command.Parameters.AddWithValue("bin", ListQuery.NumberPattern(number));
            return await ReadAsync(command, cancellationToken);
        }

        var arms = new List<string>
        {
            "(SELECT b.bin FROM businesses b WHERE lower(b.name) = @q)",
            "(SELECT b.bin FROM businesses b WHERE lower(b.name) LIKE @contains LIMIT @cap)",
        };
        if (terms.Words.Count > 0)
            arms.Add($"(SELECT b.bin FROM businesses b WHERE {AllWords(terms, name: false)} LIMIT @cap)");
        if (terms.Digits is { } digits)
        {
            arms.Add($"(SELECT b.bin FROM businesses b WHERE {ListQuery.NumberMatch("b.bin", digits, "bin")} LIMIT @cap)");
            command.Parameters.AddWithValue("bin", ListQuery.NumberPattern(digits));
        }
        command.CommandText = Ranked(terms, string.Join("\n    UNION ", arms));
        var found = await ReadAsync(command, cancellationToken);
        if (found.Total > 0)
            return found;

        // Only when nothing holds the text, names merely similar to it (a typo): that scan touches far more
        // of the trigram index, so it runs only when it is the search's one hope.
        command.CommandText = Ranked(terms, "SELECT b.bin FROM businesses b WHERE @q <% lower(b.name) LIMIT @cap");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// Every word in the name and address (or the district's name), as the trigram index answers it; with
    /// <paramref name="name"/>, every word in the name alone, which ranks such a match above the others.
    /// </summary>
    private static string AllWords(SearchTerms terms, bool name) =>
        string.Join(" AND ", terms.Words.Select((_, i) =>
        {
            var word = "@w" + i.ToString(CultureInfo.InvariantCulture);
            if (name)
                return $"lower(b.name) LIKE {word}";
            var match = $"{NameAndAddress} LIKE {word}";
            return terms.Districts[i].Length == 0 ? match : $"({match} OR b.district_code = ANY(@d{i.ToString(CultureInfo.InvariantCulture)}))";
        }));

    private static string Ranked(SearchTerms terms, string candidates)
    {
        var words = terms.Words.Count > 0;
        var addressMatched = words
            ? string.Join(" OR ", terms.Words.Select((_, i) => $"lower(coalesce(b.address, '')) LIKE @w{i.ToString(CultureInfo.InvariantCulture)}"))
            : "false";
        var inName = words ? AllWords(terms, name: true) : "false";
        // The page is ranked first; only its (at most PageSize) businesses are then looked up in
        // business_weeks for their newest published week and status there: that table holds the published
        // weeks only and its primary key (bin, week_start) carries the status, so it is one index page each.
        return $"""
            WITH candidates AS MATERIALIZED (
                {candidates}),
            page AS (
                SELECT b.bin, b.name, b.category_code, b.district_code, b.address, {addressMatched} AS address_matched,
                       CASE WHEN lower(b.name) = @q THEN 0
                            WHEN lower(b.name) LIKE @prefix THEN 1
                            WHEN lower(b.name) LIKE @contains THEN 2
                            WHEN {inName} THEN 3
                            WHEN {(words ? AllWords(terms, name: false) : "false")} THEN 4
                            ELSE 5 END AS rank,
                       word_similarity(@q, lower(b.name)) AS similarity
                FROM candidates c JOIN businesses b ON b.bin = c.bin
                ORDER BY rank, similarity DESC, b.name, b.bin
                LIMIT @limit OFFSET @offset)
            SELECT page.bin, page.name, page.category_code, page.district_code, w.status, w.week_start,
                   (SELECT count(*) FROM candidates)::int,
                   (SELECT p.public_id FROM business_public_ids p WHERE p.bin = page.bin),
                   page.address, page.address_matched
            FROM page
            CROSS JOIN LATERAL (SELECT h.status, h.week_start FROM business_weeks h WHERE h.bin = page.bin ORDER BY h.week_start DESC LIMIT 1) w
            ORDER BY page.rank, page.similarity DESC, page.name, page.bin
            """;
    }

    private static async Task<(int Total, IReadOnlyList<SearchHit> Hits)> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bin = reader.GetString(0);
            hits.Add(new SearchHit(
                reader.IsDBNull(7) ? bin : reader.GetString(7), PersonalNumbers.Shown(bin), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetString(4), reader.GetFieldValue<DateOnly>(5), reader.GetBoolean(9)));
            total = reader.GetInt32(6);
        }
        return (total, hits);
    }
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class SearchController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, IOptions<SearchOptions> options) : Controller
{
    [HttpGet("/search")]
    public async Task<IActionResult> Index(string? q, int page = 1, CancellationToken cancellationToken = default)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts);
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query))
            return View(new SearchModel(null, facts, 0, 1, []));
        var terms = SearchTerms.Parse(query, facts.Districts, options.Value);
        var (total, hits) = await SearchQuery.RunAsync(dataSource, terms, page, cancellationToken);
        // An individual's full IIN leads straight to the business's permalink, so that no page repeats
        // it; when nothing is found the page repeats it masked, as everywhere else.
        var individual = Business.BusinessQuery.TryNormalizeBin(query, out var number) && !PersonalNumbers.IsPublic(number);
        if (individual && hits.Count == 1)
            return Redirect($"/business/{hits[0].Id}");
        // A page past the end counts nothing itself; the first page says how many there are to page through.
        if (hits.Count == 0 && page > 1)
            (total, _) = await SearchQuery.RunAsync(dataSource, terms, 1, cancellationToken);
        var shown = individual ? PersonalNumbers.Shown(number) : terms.Searched;
        return View(new SearchModel(shown, facts, total, Math.Max(1, page), hits, terms.Shortened));
    }
}
