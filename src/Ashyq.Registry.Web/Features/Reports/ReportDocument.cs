using Ashyq.Registry.Web.Localization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Ashyq.Registry.Web.Features.Reports;

/// <summary>
/// DejaVu Sans from the machine's fonts (Debian's fonts-dejavu-core): it has every Kazakh letter
/// (ә ғ қ ң ө ұ ү һ і), which the PDF then embeds, so the document reads the same on any reader.
/// </summary>
public sealed class ReportFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string Folder = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lock Gate = new();

    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ReportFontResolver)
                GlobalFontSettings.FontResolver = new ReportFontResolver();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName)
    {
        var path = Path.Combine(Folder, faceName + ".ttf");
        return File.Exists(path) ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"The report's font {path} is missing: install the package fonts-dejavu-core.", path);
    }
}

/// <summary>
/// A report as an A4 PDF: the page's tables one after another, each page headed by the period and the
/// moment the document was made, and numbered at its foot.
/// </summary>
public static class ReportDocument
{
    private const double Margin = 40;
    private const double HeaderHeight = 28;
    private const double FooterHeight = 20;
    private const double Padding = 3;

    public static byte[] Write(Report report, Texts texts, string madeAt)
    {
        ReportFontResolver.Install();
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var title = new XFont(ReportFontResolver.Family, 16, XFontStyleEx.Bold, options);
        var heading = new XFont(ReportFontResolver.Family, 12, XFontStyleEx.Bold, options);
        var body = new XFont(ReportFontResolver.Family, 8, XFontStyleEx.Regular, options);
        var bold = new XFont(ReportFontResolver.Family, 8, XFontStyleEx.Bold, options);
        var small = new XFont(ReportFontResolver.Family, 7, XFontStyleEx.Regular, options);

        var name = texts.Format("reports.heading", report.Period.Name(texts));
        using var document = new PdfDocument();
        document.Info.Title = name;
        document.Language = Languages.Current;
        var writer = new PageWriter(document, small, texts.Format("reports.runningHeader", name, madeAt));

        writer.Text(name, title, 24);
        writer.Text(texts["reports.mondayRule"], body, 14);
        writer.Text(texts.Format("reports.weeksPublished", report.Weeks.Count), body, 18);
        foreach (var table in report.Tables)
        {
            writer.NeedRoom(heading.Height + (4 * (body.Height + (2 * Padding))));
            writer.Text(table.Title, heading, heading.Height + 6);
            writer.Table(table, body, bold);
            if (table.Note is { } note)
                writer.Text(note, small, small.Height + 4);
            writer.Gap(12);
        }
        writer.Finish(texts);

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private sealed class PageWriter(PdfDocument document, XFont small, string runningHeader)
    {
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        private double Width => _page!.Width.Point - (2 * Margin);
        private double Bottom => _page!.Height.Point - Margin - FooterHeight;

        public void Gap(double height) => _y += height;

        public void NeedRoom(double height)
        {
            if (_graphics is null || _y + height > Bottom)
                NewPage();
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _graphics.DrawString(runningHeader, small, XBrushes.DimGray, new XRect(Margin, Margin - 14, Width, small.Height), XStringFormats.TopLeft);
            _graphics.DrawLine(XPens.LightGray, Margin, Margin, Margin + Width, Margin);
            _y = Margin + HeaderHeight - 14;
        }

        public void Text(string text, XFont font, double after)
        {
            NeedRoom(font.Height);
            var lines = Wrap(_graphics!, text, font, Width);
            NeedRoom(lines.Count * font.Height);
            foreach (var line in lines)
            {
                _graphics!.DrawString(line, font, XBrushes.Black, new XRect(Margin, _y, Width, font.Height), XStringFormats.TopLeft);
                _y += font.Height;
            }
            _y += Math.Max(0, after - font.Height);
        }

        public void Table(ReportTable table, XFont body, XFont bold)
        {
            var first = table.Columns.Count == 1 ? Width : Math.Max(Width * 0.28, Width / table.Columns.Count);
            var rest = table.Columns.Count == 1 ? 0 : (Width - first) / (table.Columns.Count - 1);
            double ColumnWidth(int i) => i == 0 ? first : rest;

            void Row(IReadOnlyList<(string Text, bool Right)> cells, XFont font, bool shaded)
            {
                var wrapped = cells.Select((c, i) => Wrap(_graphics!, c.Text, font, ColumnWidth(i) - (2 * Padding))).ToList();
                var height = (wrapped.Max(w => w.Count) * font.Height) + (2 * Padding);
                NeedRoom(height);
                if (shaded)
                    _graphics!.DrawRectangle(XBrushes.WhiteSmoke, Margin, _y, Width, height);
                var x = Margin;
                for (var i = 0; i < cells.Count; i++)
                {
                    var w = ColumnWidth(i);
                    for (var l = 0; l < wrapped[i].Count; l++)
                    {
                        var rect = new XRect(x + Padding, _y + Padding + (l * font.Height), w - (2 * Padding), font.Height);
                        _graphics!.DrawString(wrapped[i][l], font, XBrushes.Black, rect, cells[i].Right ? XStringFormats.TopRight : XStringFormats.TopLeft);
                    }
                    x += w;
                }
                _y += height;
                _graphics!.DrawLine(XPens.LightGray, Margin, _y, Margin + Width, _y);
            }

            Row([.. table.Columns.Select((c, i) => (c.Title, i > 0 && c.Numeric))], bold, shaded: true);
            foreach (var row in table.Rows)
                Row([.. row.Select((c, i) => (c.Text, i > 0 && table.Columns[i].Numeric))], body, shaded: false);
        }

        /// <summary>Numbers every page at its foot once the number of pages is known.</summary>
        public void Finish(Texts texts)
        {
            _graphics?.Dispose();
            _graphics = null;
            for (var i = 0; i < document.PageCount; i++)
            {
                var page = document.Pages[i];
                using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var footer = texts.Format("reports.pageOf", i + 1, document.PageCount);
                graphics.DrawString(footer, small, XBrushes.DimGray,
                    new XRect(Margin, page.Height.Point - Margin - small.Height, page.Width.Point - (2 * Margin), small.Height), XStringFormats.TopRight);
            }
        }

        private static List<string> Wrap(XGraphics graphics, string text, XFont font, double width)
        {
            var lines = new List<string>();
            var line = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && graphics.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }
            lines.Add(line);
            return lines;
        }
    }
}
