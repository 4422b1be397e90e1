using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// The one way the registry compares free text from exports (headers, statuses, categories, districts),
/// and the one rule for characters no page, feed or spreadsheet can carry.
/// </summary>
public static class TextNormalizer
{
    // Control characters (C0 and C1, DEL), the surrogates (a pair is fine; found here, it is checked),
    // and the two non-characters XML forbids. Tab, line feed and carriage return are not among them.
    private static readonly SearchValues<char> Suspect = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0x7F, 0x9F - 0x7F + 1).Select(c => (char)c)) +
        string.Concat(Enumerable.Range(0xD800, 0xE000 - 0xD800).Select(c => (char)c)) +
        "\uFFFE\uFFFF");

    /// <summary>
    /// True when the text holds a character that must not reach XML, a spreadsheet or a page: a control
    /// character other than tab, line feed and carriage return, a surrogate without its pair, U+FFFE or U+FFFF.
    /// </summary>
    public static bool HasUnsafeCharacters(ReadOnlySpan<char> text)
    {
        var at = text.IndexOfAny(Suspect);
        while (at >= 0)
        {
            if (!IsSafeAt(text, at, out var width))
                return true;
            var next = text[(at + width)..].IndexOfAny(Suspect);
            at = next < 0 ? -1 : at + width + next;
        }
        return false;
    }

    /// <summary>The text without its unsafe characters (see <see cref="HasUnsafeCharacters"/>); the same string when it has none.</summary>
    public static string RemoveUnsafeCharacters(string text) => RemoveUnsafeCharacters(text, out _);

    /// <summary>As <see cref="RemoveUnsafeCharacters(string)"/>, counting what was removed.</summary>
    public static string RemoveUnsafeCharacters(string text, out int removed)
    {
        ArgumentNullException.ThrowIfNull(text);
        removed = 0;
        if (!HasUnsafeCharacters(text))
            return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsSafeAt(text, i, out var width))
            {
                kept.Append(text, i, width);
                i += width - 1;
            }
            else
            {
                removed++;
            }
        }
        return kept.ToString();
    }

    /// <summary>True when the character at the index may stay: it is not suspect, or it is a high surrogate followed by its low one (width 2).</summary>
    private static bool IsSafeAt(ReadOnlySpan<char> text, int at, out int width)
    {
        width = 1;
        var c = text[at];
        if (!char.IsSurrogate(c))
            return !Suspect.Contains(c);
        if (char.IsHighSurrogate(c) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1]))
        {
            width = 2;
            return true;
        }
        return false;
    }

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

    /// <summary>A quoted text cut to <paramref name="max"/> characters and marked with an ellipsis, in no language.</summary>
    public static string Cut(string text, int max = MaxQuoted)
    {
        if (text.Length <= max)
            return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut] + "…";
    }

    /// <summary>
    /// The line numbers of a group for a message on one of them (<paramref name="except"/>, which is in the group): the
    /// other lines, the first few, then how many more there are. Only the first few are looked at, so that a message
    /// on each of a BIN's hundred thousand lines costs no more than on each of two.
    /// </summary>
    public static string Lines(IReadOnlyCollection<int> lines, int except, int shown = 10)
    {
        var listed = lines.Where(line => line != except).Take(shown).Count();
        var others = lines.Count - 1;
        var text = FirstLines(lines, except, shown);
        return others <= listed ? text : $"{text} and {others - listed:N0} more";
    }

    /// <summary>The first few line numbers of a group other than <paramref name="except"/>, in no language.</summary>
    public static string FirstLines(IReadOnlyCollection<int> lines, int except, int shown = 10) =>
        string.Join(", ", lines.Where(line => line != except).Take(shown).Select(line => line.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A list of header titles for a message: the first few, then how many more there are.</summary>
    public static string Titles(IReadOnlyList<string> titles, int shown = 20)
    {
        var listed = string.Join(", ", titles.Take(shown).Select(title => $"'{Excerpt(title)}'"));
        return titles.Count <= shown ? listed : $"{listed} and {titles.Count - shown:N0} more";
    }
}
