using System.Globalization;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Finds BINs listed more than once in one file while the rows stream past, in memory that grows
/// with the number of businesses, not with their text: each BIN is kept as a number with a 64-bit
/// fingerprint of its row.
/// </summary>
internal sealed class DuplicateTracker
{
    private readonly Dictionary<long, (int Line, ulong Fingerprint)> _seen = [];
    private readonly Dictionary<long, DuplicateGroup> _groups = [];

    /// <summary>True when the row should be loaded: the first time its BIN is seen.</summary>
    public bool Admit(ExportRow row)
    {
        var key = long.Parse(row.Bin, CultureInfo.InvariantCulture);
        var fingerprint = Fingerprint(row);
        if (_seen.TryAdd(key, (row.LineNo, fingerprint)))
            return true;

        var first = _seen[key];
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new DuplicateGroup(row.Bin, [first.Line]);
            _groups[key] = group;
        }
        group.Lines.Add(row.LineNo);
        if (fingerprint != first.Fingerprint)
            group.Conflicting = true;
        return false;
    }

    public IEnumerable<(string Bin, List<int> Lines)> Identical =>
        _groups.Values.Where(g => !g.Conflicting).Select(g => (g.Bin, g.Lines));

    public IEnumerable<(string Bin, List<int> Lines)> Conflicting =>
        _groups.Values.Where(g => g.Conflicting).Select(g => (g.Bin, g.Lines));

    private static ulong Fingerprint(ExportRow row)
    {
        var text = string.Join('\u001F', row.Name, row.CategoryRaw, row.DistrictCode, row.Address,
            row.JoinedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.Scans, row.FlaggedVisitors, row.Status, row.Reason);
        // FNV-1a over UTF-16 code units: stable, and 64 bits make an accidental match between two rows of one BIN negligible.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private sealed class DuplicateGroup(string bin, List<int> lines)
    {
        public string Bin { get; } = bin;
        public List<int> Lines { get; } = lines;
        public bool Conflicting { get; set; }
    }
}
