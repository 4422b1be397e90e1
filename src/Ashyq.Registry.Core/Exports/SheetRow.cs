namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// One cell as the file holds it: the text as read, and for a spreadsheet cell its typed value
/// (a double for numbers, a DateTime for date cells) so that numbers and dates need no re-parsing.
/// </summary>
internal readonly record struct SheetCell(string Text, object? Value = null)
{
    public static readonly SheetCell Empty = new("");

    public bool IsBlank => Value is null && string.IsNullOrWhiteSpace(Text);
}

/// <summary>One physical row of a CSV file or worksheet, numbered as the file numbers it (1-based).</summary>
internal sealed record SheetRow(int LineNo, SheetCell[] Cells)
{
    public SheetCell this[int index] => index < Cells.Length ? Cells[index] : SheetCell.Empty;

    public bool IsBlank => Cells.All(cell => cell.IsBlank);

    public string JoinedText => string.Join(" ", Cells.Where(cell => !cell.IsBlank).Select(cell => cell.Text.Trim()));
}

/// <summary>A reader of one file's rows in order, forward only.</summary>
internal interface ISheetSource : IDisposable
{
    string Format { get; }

    /// <summary>May be called once; may throw <see cref="ExportFileException"/> at any row.</summary>
    IEnumerable<SheetRow> Rows();
}
