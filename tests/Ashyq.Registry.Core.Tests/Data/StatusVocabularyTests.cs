using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Tests.Imports;
using Ashyq.Registry.Core.Weeks;

namespace Ashyq.Registry.Core.Tests.Data;

/// <summary>The status words the code writes SQL with are the words the schema's checks take, no more and no fewer.</summary>
public sealed partial class StatusVocabularyTests(PipelineFixture db) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task WeekStatuses_AreTheWordsTheWeeksTableTakes() =>
        Assert.Equal(await AllowedAsync("weeks", "status"), WeekStatuses.All.Order(StringComparer.Ordinal));

    [Fact]
    public async Task ImportStates_AreTheWordsTheImportsTableTakes() =>
        Assert.Equal(await AllowedAsync("imports", "state"), ImportStates.All.Order(StringComparer.Ordinal));

    private async Task<IEnumerable<string>> AllowedAsync(string table, string column)
    {
        var check = await db.ScalarAsync<string>("""
            SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = $1::regclass AND c.contype = 'c'
              AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2)]
            """, table, column);
        var words = Quoted().Matches(check).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(words);
        return words;
    }

    [GeneratedRegex(@"'([a-z_]+)'")]
    private static partial Regex Quoted();
}
