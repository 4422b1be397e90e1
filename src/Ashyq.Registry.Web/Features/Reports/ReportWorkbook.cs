using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Localization;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Ashyq.Registry.Web.Features.Reports;

/// <summary>
/// A report as a workbook: one sheet per table of the page, named by its number and title, with the
/// period above the table. Text that a spreadsheet would run as a formula is defused as in the list downloads.
/// </summary>
public static class ReportWorkbook
{
    private const int MaxSheetName = 31;

    public static async Task<byte[]> WriteAsync(Report report, Texts texts, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await using (var workbook = await Spreadsheet.CreateNewAsync(output, cancellationToken: cancellationToken))
        {
            for (var i = 0; i < report.Tables.Count; i++)
            {
                var table = report.Tables[i];
                var options = new WorksheetOptions { FrozenRows = 3 };
                options.Column(1).Width = 36;
                for (var c = 2; c <= table.Columns.Count; c++)
                    options.Column(c).Width = 16;
                await workbook.StartWorksheetAsync(SheetName(i, table.Title), options, cancellationToken);
                await workbook.AddRowAsync([new Cell(ListDownload.Neutralise(texts.Format("reports.heading", report.Period.Name(texts))))], cancellationToken);
                await workbook.AddRowAsync([new Cell(ListDownload.Neutralise(table.Title))], cancellationToken);
                await workbook.AddRowAsync([.. table.Columns.Select(c => new Cell(ListDownload.Neutralise(c.Title)))], cancellationToken);
                foreach (var row in table.Rows)
                    await workbook.AddRowAsync([.. row.Select(CellOf)], cancellationToken);
                if (table.Note is { } note)
                    await workbook.AddRowAsync([new Cell(ListDownload.Neutralise(note))], cancellationToken);
            }
            await workbook.FinishAsync(cancellationToken);
        }
        return output.ToArray();
    }

    private static Cell CellOf(ReportCell cell) => cell.Number is { } number ? new Cell(number) : new Cell(ListDownload.Neutralise(cell.Text));

    /// <summary>"1. Опубликованные недели": unique by its number, within a sheet name's 31 characters and without the characters a sheet name may not hold.</summary>
    public static string SheetName(int index, string title)
    {
        var name = $"{index + 1}. " + new string([.. title.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\' or '\''))]);
        return name.Length <= MaxSheetName ? name : name[..MaxSheetName];
    }
}
