using System.Globalization;

namespace Ashyq.Registry.Core.Exports;

/// <summary>The one way the registry compares free text from exports: headers, statuses, categories, districts.</summary>
public static class TextNormalizer
{
    /// <summary>Lower case (invariant), ё read as е, trimmed, every run of whitespace made one space.</summary>
    public static string Fold(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        var length = 0;
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
            {
                buffer[length++] = ' ';
                pendingSpace = false;
            }
            var lower = Lower(c);
            buffer[length++] = lower == 'ё' ? 'е' : lower;
        }
        var folded = buffer[..length];
        return folded.SequenceEqual(s) ? s : new string(folded);
    }

    /// <summary>
    /// Invariant lower case, with the Latin and Cyrillic letters of Russian and Kazakh mapped directly:
    /// going through the culture machinery for every character costs most of a national import's reading time.
    /// </summary>
    private static char Lower(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        < '\u0080' => c,
        >= '\u0410' and <= '\u042F' => (char)(c + 0x20),
        >= '\u0400' and <= '\u040F' => (char)(c + 0x50),
        >= '\u0430' and <= '\u045F' => c,
        >= '\u0460' and <= '\u0481' or >= '\u048A' and <= '\u04BF' or >= '\u04D0' and <= '\u04FF' => (char)(c | 1) == c ? c : (char)(c + 1),
        '\u04C0' => '\u04CF',
        >= '\u04C1' and <= '\u04CE' => (c & 1) == 1 ? (char)(c + 1) : c,
        _ => char.ToLowerInvariant(c),
    };
}

/// <summary>How a message quotes a value from the file: in full when short, otherwise its start and its length.</summary>
internal static class MessageText
{
    public const int MaxQuoted = 80;

    /// <summary>The longest message of an underlying reader repeated in ours; an XML parser quotes a whole bad token.</summary>
    public const int MaxCause = 300;

    public static string Excerpt(string text, int max = MaxQuoted)
    {
        if (text.Length <= max)
            return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return $"{text[..cut]}… ({text.Length:N0} characters)";
    }

    /// <summary>
    /// The line numbers of a group for a message on one of them (<paramref name="except"/>, which is in the group): the
    /// other lines, the first few, then how many more there are. Only the first few are looked at, so that a message
    /// on each of a BIN's hundred thousand lines costs no more than on each of two.
    /// </summary>
    public static string Lines(IReadOnlyCollection<int> lines, int except, int shown = 10)
    {
        var listed = lines.Where(line => line != except).Take(shown).ToList();
        var others = lines.Count - 1;
        var text = string.Join(", ", listed.Select(line => line.ToString(CultureInfo.InvariantCulture)));
        return others <= listed.Count ? text : $"{text} and {others - listed.Count:N0} more";
    }

    /// <summary>A list of header titles for a message: the first few, then how many more there are.</summary>
    public static string Titles(IReadOnlyList<string> titles, int shown = 20)
    {
        var listed = string.Join(", ", titles.Take(shown).Select(title => $"'{Excerpt(title)}'"));
        return titles.Count <= shown ? listed : $"{listed} and {titles.Count - shown:N0} more";
    }
}
