using System.Globalization;
using System.Text.RegularExpressions;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Business;
using Ashyq.Registry.Web.Features.Changes;
using Ashyq.Registry.Web.Features.Errors;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Staff.Weeks;
using Ashyq.Registry.Web.Localization;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Localization;

/// <summary>
/// Keys the code builds at run time ("status." + a status): each value comes from its own source — the
/// database's CHECK constraints for stored vocabularies, the code's own lists for the rest — so that a new
/// state, status or list added without its text fails here rather than as a 500 on the page that shows it.
/// </summary>
public sealed partial class BuiltTextKeysTests
{
    private static readonly Texts Texts = new();

    public static TheoryData<string, string, string> StoredVocabularies() => new()
    {
        { "imports", "state", "staff.state." },
        { "import_messages", "severity", "staff.severity." },
        { "week_rows", "status", "status." },
        { "week_rows", "file_status", "status." },
        { "week_rows", "exclusion_source", "source." },
        { "business_replies", "state", "replies.state." },
    };

    [Theory]
    [MemberData(nameof(StoredVocabularies))]
    public async Task EveryValueTheDatabaseAllows_HasItsText(string table, string column, string prefix)
    {
        var values = await AllowedValuesAsync(table, column);

        Assert.True(values.Count >= 2, $"{table}.{column}: no vocabulary found in its CHECK constraint");
        Assert.All(values, value => AssertHasText(prefix + value));
    }

    [Fact]
    public void EveryKeyBuiltFromTheCodesOwnLists_HasItsText()
    {
        var keys = new List<string>();
        foreach (var kind in Enum.GetValues<ListKind>())
            keys.AddRange(["lists.title." + kind.Code(), "lists.description." + kind.Code(), "lists.intro." + kind.Code()]);
        keys.AddRange(ListSorts.All.Select(sort => "lists.sort." + sort));
        keys.AddRange(ChangesQuery.Kinds.Select(kind => "changes." + kind));
        keys.AddRange(WeekReview.Kinds.Select(kind => "staff.change." + kind));
        keys.AddRange(new[] { BusinessEvent.Listed, BusinessEvent.Excluded, BusinessEvent.Readmitted, BusinessEvent.Changed }.Select(kind => "feed.event." + kind));

        Assert.True(keys.Count >= 20, $"only {keys.Count} keys built");
        Assert.All(keys, AssertHasText);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public void EveryStatusTheErrorPageCanShow_HasItsTitleAndMessage(int status)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var language in Languages.All)
            {
                CultureInfo.CurrentUICulture = Languages.Culture(language);
                var page = ErrorPage.For(status, Texts);
                Assert.False(string.IsNullOrWhiteSpace(page.Title));
                Assert.False(string.IsNullOrWhiteSpace(page.Message));
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static void AssertHasText(string key)
    {
        Assert.True(Texts.Has(key), $"no text for the built key '{key}'");
        Assert.All(Languages.All, language => Assert.False(string.IsNullOrWhiteSpace(Texts.Get(key, language)), $"{key} ({language})"));
    }

    private static async Task<IReadOnlyList<string>> AllowedValuesAsync(string table, string column)
    {
        await using var connection = new NpgsqlConnection(await TestCluster.CreateDatabaseAsync("textkeys"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'c' AND c.conrelid = @table::regclass AND a.attname = @column AND cardinality(c.conkey) = 1
            """, connection);
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("column", column);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            values.AddRange(Quoted().Matches(reader.GetString(0)).Select(m => m.Groups[1].Value));
        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("'([^']+)'::text")]
    private static partial Regex Quoted();
}
