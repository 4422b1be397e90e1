using System.Collections.Concurrent;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// Maps the free category text of an export to a registry category through the aliases: an exact alias
/// first, otherwise the longest alias found as a whole word or phrase inside the text.
/// </summary>
public sealed class CategoryMatcher
{
    private const int CacheLimit = 10_000;

    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly (string Alias, string CategoryCode)[] _longestFirst;
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);

    public CategoryMatcher(IEnumerable<(string Alias, string CategoryCode)> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        foreach (var (alias, code) in aliases)
        {
            var folded = TextNormalizer.Fold(alias);
            if (folded.Length > 0)
                _exact.TryAdd(folded, code);
        }
        _longestFirst = _exact
            .Select(pair => (pair.Key, pair.Value))
            .OrderByDescending(pair => pair.Key.Length)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The category code for the text, or null when no alias matches it.</summary>
    public string? Match(string rawCategoryText)
    {
        ArgumentNullException.ThrowIfNull(rawCategoryText);
        var text = TextNormalizer.Fold(rawCategoryText);
        if (text.Length == 0)
            return null;
        if (_exact.TryGetValue(text, out var exact))
            return exact;
        if (_cache.TryGetValue(text, out var cached))
            return cached;

        var found = FindLongestWholeWord(text);
        // Category texts repeat heavily within a file; the cap keeps a hostile file from growing the cache.
        if (_cache.Count < CacheLimit)
            _cache.TryAdd(text, found);
        return found;
    }

    private string? FindLongestWholeWord(string text)
    {
        string? best = null;
        var bestLength = 0;
        var bestPosition = int.MaxValue;
        foreach (var (alias, code) in _longestFirst)
        {
            if (alias.Length < bestLength)
                break;
            if (alias.Length > text.Length)
                continue;
            var position = FirstWholeWordOccurrence(text, alias);
            if (position >= 0 && position < bestPosition)
            {
                best = code;
                bestLength = alias.Length;
                bestPosition = position;
            }
        }
        return best;
    }

    private static int FirstWholeWordOccurrence(string text, string alias)
    {
        for (var start = text.IndexOf(alias, StringComparison.Ordinal);
             start >= 0;
             start = text.IndexOf(alias, start + 1, StringComparison.Ordinal))
        {
            var end = start + alias.Length;
            var boundaryBefore = start == 0 || !char.IsLetterOrDigit(text[start - 1]);
            var boundaryAfter = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (boundaryBefore && boundaryAfter)
                return start;
        }
        return -1;
    }
}
