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

    // FNV-1a over every field but the line number, with a separator between fields: stable within the
    // run, and 64 bits make an accidental match between two different rows of one BIN negligible.
    private static ulong Fingerprint(ExportRow row)
    {
        var hash = 14695981039346656037UL;
        hash = Mix(hash, row.Name);
        hash = Mix(hash, row.CategoryRaw);
        hash = Mix(hash, row.DistrictCode);
        hash = Mix(hash, row.Address);
        hash = Mix(hash, row.JoinedOn?.DayNumber ?? -1);
        hash = Mix(hash, row.Scans);
        hash = Mix(hash, row.FlaggedVisitors);
        hash = Mix(hash, (int)row.Status);
        return Mix(hash, row.Reason);
    }

    private static ulong Mix(ulong hash, string? text)
    {
        if (text is null)
            return Mix(hash, -2);
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return (hash ^ 0x1F) * 1099511628211UL;
    }

    private static ulong Mix(ulong hash, int value)
    {
        for (var i = 0; i < 4; i++, value >>= 8)
            hash = (hash ^ (byte)value) * 1099511628211UL;
        return (hash ^ 0x1E) * 1099511628211UL;
    }

    private sealed class DuplicateGroup(string bin, List<int> lines)
    {
        public string Bin { get; } = bin;
        public List<int> Lines { get; } = lines;
        public bool Conflicting { get; set; }
    }
}
