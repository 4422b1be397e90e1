namespace Ashyq.Registry.Core.Exports;

internal sealed record ExportColumn(int Index, string Title);

/// <summary>The header row: which column holds which field, and which columns the contract does not know.</summary>
internal sealed class ExportHeader
{
    private ExportHeader(int lineNo, Dictionary<ExportField, ExportColumn> columns, List<ExportColumn> unknown,
        List<(ExportField Field, ExportColumn First, ExportColumn Second)> duplicates, List<string> titles)
    {
        LineNo = lineNo;
        Columns = columns;
        UnknownColumns = unknown;
        Duplicates = duplicates;
        Titles = titles;
    }

    public int LineNo { get; }
    public IReadOnlyDictionary<ExportField, ExportColumn> Columns { get; }
    public IReadOnlyList<ExportColumn> UnknownColumns { get; }
    public IReadOnlyList<(ExportField Field, ExportColumn First, ExportColumn Second)> Duplicates { get; }

    /// <summary>Every non-empty header cell, as written.</summary>
    public IReadOnlyList<string> Titles { get; }

    public bool IsHeaderRow => Columns.ContainsKey(ExportField.Bin) && Columns.ContainsKey(ExportField.Name);

    public IEnumerable<ExportField> MissingRequired => ExportColumns.Required.Where(required => !Columns.ContainsKey(required));

    public static ExportHeader From(SheetRow row)
    {
        var columns = new Dictionary<ExportField, ExportColumn>();
        var unknown = new List<ExportColumn>();
        var duplicates = new List<(ExportField, ExportColumn, ExportColumn)>();
        var titles = new List<string>();
        for (var i = 0; i < row.Cells.Length; i++)
        {
            var title = row.Cells[i].Text.Trim();
            // A "№" column (row numbers) and an untitled column are noise, not unknown columns.
            if (ExportColumns.NormalizeHeader(title).Length == 0)
                continue;
            titles.Add(title);
            var column = new ExportColumn(i, title);
            if (ExportColumns.FieldForHeader(title) is not { } field)
                unknown.Add(column);
            else if (columns.TryGetValue(field, out var first))
                duplicates.Add((field, first, column));
            else
                columns[field] = column;
        }
        return new ExportHeader(row.LineNo, columns, unknown, duplicates, titles);
    }
}

/// <summary>What the rows above the data tell: the header (if found), the title lines above it.</summary>
internal sealed class HeaderSearch
{
    public const int MaxTitleRows = 10;

    public ExportHeader? Header { get; private init; }

    /// <summary>When no header row was found: the row that looked most like one, for a useful message.</summary>
    public ExportHeader? ClosestCandidate { get; private init; }

    public IReadOnlyList<string> TitleLines { get; private init; } = [];
    public bool SawAnyRow { get; private init; }

    /// <summary>Reads rows until the header row; the enumerator is left just after it.</summary>
    public static HeaderSearch Run(IEnumerator<SheetRow> rows)
    {
        var titles = new List<string>();
        ExportHeader? closest = null;
        var sawAnyRow = false;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (row.IsBlank)
                continue;
            sawAnyRow = true;
            var candidate = ExportHeader.From(row);
            if (candidate.IsHeaderRow)
                return new HeaderSearch { Header = candidate, TitleLines = titles, SawAnyRow = true };
            if (candidate.Columns.Count >= 2 && candidate.Columns.Count > (closest?.Columns.Count ?? 0))
                closest = candidate;
            if (titles.Count == MaxTitleRows)
                break;
            titles.Add(row.JoinedText);
        }
        return new HeaderSearch { ClosestCandidate = closest, TitleLines = titles, SawAnyRow = sawAnyRow };
    }

    /// <summary>How well this search went, to choose among CSV delimiters: a complete header beats a partial one.</summary>
    public (int, int, int) Score => Header is { } header
        ? (2, -header.MissingRequired.Count(), header.Columns.Count)
        : ClosestCandidate is { } closest ? (1, -closest.MissingRequired.Count(), closest.Columns.Count) : (0, 0, 0);
}
