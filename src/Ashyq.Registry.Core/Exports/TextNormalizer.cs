using System.Text;

namespace Ashyq.Registry.Core.Exports;

/// <summary>The one way the registry compares free text from exports: headers, statuses, categories, districts.</summary>
public static class TextNormalizer
{
    /// <summary>Lower case (invariant), ё read as е, trimmed, every run of whitespace made one space.</summary>
    public static string Fold(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var builder = new StringBuilder(s.Length);
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            var lower = char.ToLowerInvariant(c);
            builder.Append(lower == 'ё' ? 'е' : lower);
        }
        return builder.ToString();
    }
}
