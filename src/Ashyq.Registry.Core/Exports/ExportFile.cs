using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// One uploaded weekly export, opened and checked up to its header row, whose data rows are then read in
/// one streaming pass. The format is told from the content, never from the file's name.
/// </summary>
public sealed partial class ExportFile : IDisposable
{
    private readonly ISheetSource _source;
    private readonly IEnumerator<SheetRow> _rows;
    private readonly ExportRowValidator _validator;
    private bool _readStarted;

    static ExportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private ExportFile(ISheetSource source, IEnumerator<SheetRow> rows, HeaderSearch search, ExportRowValidator validator, string fileName)
    {
        _source = source;
        _rows = rows;
        _validator = validator;
        Format = source.Format;
        var header = search.Header!;
        HeaderLineNo = header.LineNo;
        FileWarnings = UnknownColumnWarnings(header, fileName);
        OptionalColumnWarnings = MissingFigureColumnWarnings(header);
        ReportsFlaggedVisitors = header.Columns.ContainsKey(ExportField.FlaggedVisitors);
        foreach (var title in search.TitleLines)
        {
            if (FindPeriod(title) is { } period)
            {
                (TitlePeriodStart, TitlePeriodEnd) = period;
                break;
            }
        }
    }

    /// <summary>What the file turned out to be, for people: "CSV, Windows-1251, ';'" or "XLSX, sheet 'Лист1'".</summary>
    public string Format { get; }

    /// <summary>The line (CSV) or row (XLSX) of the header, 1-based.</summary>
    public int HeaderLineNo { get; }

    /// <summary>The first day of a period named in a title line above the header, if any.</summary>
    public DateOnly? TitlePeriodStart { get; }

    public DateOnly? TitlePeriodEnd { get; }

    public IReadOnlyList<ExportMessage> FileWarnings { get; }

    /// <summary>
    /// The optional columns that carry figures of the week, when the file lacks them: without a district
    /// column the week has no district figures, without a flagged-visitors column it reports no flagged
    /// visitors. Kept apart from <see cref="FileWarnings"/>: the file is as the contract allows, and the
    /// import records them for the review before publishing.
    /// </summary>
    public IReadOnlyList<ExportMessage> OptionalColumnWarnings { get; }

    /// <summary>Whether the file has a flagged-visitors column; without it the week reports no flagged visitors, not zero.</summary>
    public bool ReportsFlaggedVisitors { get; }

    /// <summary>Data rows seen so far: every row read except wholly empty rows and the closing total.</summary>
    public int DataRows { get; private set; }

    /// <summary>
    /// Opens the file, tells its format and finds its header row. Throws <see cref="ExportFileException"/>
    /// for everything wrong with the file that shows before the first data row.
    /// </summary>
    public static ExportFile Open(string path, string originalFileName, CategoryMatcher categories, ExportLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        limits ??= ExportLimits.Default;
        var clock = Stopwatch.StartNew();
        ExportContainer container;
        TextEncodingFacts? encoding = null;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            container = ExportFormatSniffer.Detect(stream, originalFileName, limits);
            if (container == ExportContainer.Text)
                encoding = CsvSheetSource.Inspect(stream, originalFileName);
        }

        var deadline = new ReadDeadline(clock, limits.ReadTimeout, originalFileName);
        deadline.Check();
        return container == ExportContainer.Xlsx
            ? OpenWorkbook(path, originalFileName, categories, deadline)
            : OpenCsv(path, originalFileName, encoding!, categories, deadline);
    }

    /// <summary>The file's data rows, each valid (maybe with warnings) or with its errors. One pass only.</summary>
    public IEnumerable<ExportRowResult> ReadRows()
    {
        if (_readStarted)
            throw new InvalidOperationException("The rows of an export file can be read once.");
        _readStarted = true;
        return Read();
    }

    public void Dispose()
    {
        _rows.Dispose();
        _source.Dispose();
    }

    private IEnumerable<ExportRowResult> Read()
    {
        while (_rows.MoveNext())
        {
            if (_validator.Validate(_rows.Current) is not { } result)
                continue;
            DataRows++;
            yield return result;
        }
    }

    private static ExportFile OpenWorkbook(string path, string fileName, CategoryMatcher categories, ReadDeadline deadline)
    {
        var source = XlsxSheetSource.Open(path, fileName);
        IEnumerator<SheetRow>? rows = null;
        try
        {
            rows = deadline.Watch(source.Rows()).GetEnumerator();
            var search = HeaderSearch.Run(rows);
            if (!search.SawAnyRow)
                throw new ExportFileException("empty_file", $"The first worksheet of '{fileName}' is empty.", ExportMessageCodes.Values(null));
            return Create(source, rows, search, categories, fileName, "Row");
        }
        catch
        {
            rows?.Dispose();
            source.Dispose();
            throw;
        }
    }

    // The delimiter is the one under which a header row appears: each is tried on the first rows only.
    private static ExportFile OpenCsv(string path, string fileName, TextEncodingFacts encoding, CategoryMatcher categories, ReadDeadline deadline)
    {
        (CsvSheetSource Source, IEnumerator<SheetRow> Rows, HeaderSearch Search)? best = null;
        ExportFileException? firstFailure = null;
        foreach (var delimiter in CsvSheetSource.Delimiters)
        {
            var source = new CsvSheetSource(path, encoding, delimiter);
            var rows = deadline.Watch(source.Rows()).GetEnumerator();
            HeaderSearch search;
            try
            {
                search = HeaderSearch.Run(rows);
            }
            catch (ExportFileException e)
            {
                firstFailure ??= e;
                rows.Dispose();
                source.Dispose();
                continue;
            }
            if (best is null || search.Score.CompareTo(best.Value.Search.Score) > 0)
            {
                if (best is { } previous)
                {
                    previous.Rows.Dispose();
                    previous.Source.Dispose();
                }
                best = (source, rows, search);
            }
            else
            {
                rows.Dispose();
                source.Dispose();
            }
        }
        if (best is not { } chosen)
            throw firstFailure!;
        if (chosen.Search.Header is null && firstFailure is not null)
        {
            chosen.Rows.Dispose();
            chosen.Source.Dispose();
            throw firstFailure;
        }
        try
        {
            return Create(chosen.Source, chosen.Rows, chosen.Search, categories, fileName, "Line");
        }
        catch
        {
            chosen.Rows.Dispose();
            chosen.Source.Dispose();
            throw;
        }
    }

    private static ExportFile Create(ISheetSource source, IEnumerator<SheetRow> rows, HeaderSearch search,
        CategoryMatcher categories, string fileName, string lineWord)
    {
        if ((search.Header ?? search.ClosestCandidate) is { } seen
            && seen.UnknownColumns.Where(c => ExportColumns.HeaderWithLostLetters(c.Title) is not null).Select(c => c.Title).ToList() is { Count: > 0 } damaged)
        {
            var meant = string.Join(", ", damaged.Select(title => $"'{MessageText.Excerpt(title)}' ({ExportColumns.HeaderWithLostLetters(title)})"));
            throw new ExportFileException("encoding_lost_letters",
                $"The headers of '{fileName}' have '?' in place of letters: {meant}. The file was saved in an encoding that lacks those letters "
                + "(Windows-1251 has no Kazakh letters such as қ, ү, ә), and its names lost them too. Save the file as UTF-8 and upload it again.",
                new Dictionary<string, string> { ["titles"] = meant });
        }
        if (search.Header is not { } header)
        {
            if (search.ClosestCandidate is { } closest)
                throw MissingColumns(closest, fileName, lineWord);
            throw new ExportFileException("no_header",
                $"'{fileName}' has no header row: none of its first {HeaderSearch.MaxTitleRows + 1} non-empty rows holds both a BIN column "
                + "(БИН, ИИН, БСН, BIN…) and a name column (Наименование, Атауы, Name…).",
                new Dictionary<string, string> { ["rows"] = (HeaderSearch.MaxTitleRows + 1).ToString(CultureInfo.InvariantCulture) });
        }
        if (header.Duplicates.Count > 0)
        {
            var (field, first, second) = header.Duplicates[0];
            throw new ExportFileException("duplicate_column",
                $"The header ({lineWord.ToLowerInvariant()} {header.LineNo}) has two {ExportColumns.DescribeField(field)} columns, "
                + $"'{MessageText.Excerpt(first.Title)}' and '{MessageText.Excerpt(second.Title)}'; it is not clear which to read.",
                new Dictionary<string, string>
                {
                    ["line"] = header.LineNo.ToString(CultureInfo.InvariantCulture),
                    ["column"] = ExportColumns.DescribeField(field),
                    ["first"] = MessageText.Excerpt(first.Title),
                    ["second"] = MessageText.Excerpt(second.Title),
                });
        }
        if (header.MissingRequired.Any())
            throw MissingColumns(header, fileName, lineWord);
        return new ExportFile(source, rows, search, new ExportRowValidator(header, categories, lineWord), fileName);
    }

    /// <summary>The most unknown columns warned about one by one; past it, one warning counts them and names the first few.</summary>
    internal const int UnknownColumnsListed = 10;

    private static ExportMessage[] UnknownColumnWarnings(ExportHeader header, string fileName)
    {
        var unknown = header.UnknownColumns;
        if (unknown.Count <= UnknownColumnsListed)
        {
            return [.. unknown.Select(column => new ExportMessage(MessageSeverity.FileWarning, "unknown_column",
                $"The column '{MessageText.Excerpt(column.Title)}' of '{fileName}' is not part of the weekly export and was ignored.",
                header.LineNo, column.Title, Args: new Dictionary<string, string> { ["column"] = MessageText.Excerpt(column.Title) }))];
        }
        var titles = unknown.Select(column => column.Title).ToList();
        return
        [
            new ExportMessage(MessageSeverity.FileWarning, "unknown_columns",
                $"{unknown.Count:N0} columns of '{fileName}' are not part of the weekly export and were ignored: {MessageText.Titles(titles, UnknownColumnsListed)}.",
                header.LineNo, null, MessageText.Titles(titles, UnknownColumnsListed),
                Args: new Dictionary<string, string>
                {
                    ["count"] = unknown.Count.ToString(CultureInfo.InvariantCulture),
                    ["titles"] = MessageText.Titles(titles, UnknownColumnsListed),
                }),
        ];
    }

    private static ExportMessage[] MissingFigureColumnWarnings(ExportHeader header)
    {
        var missing = new List<ExportMessage>();
        if (!header.Columns.ContainsKey(ExportField.District))
        {
            missing.Add(new ExportMessage(MessageSeverity.FileWarning, "district_column_missing",
                $"The file has no {ExportColumns.DescribeField(ExportField.District)} column: the week's figures by district are not reported.",
                header.LineNo, null, ExportColumns.DescribeField(ExportField.District),
                Args: new Dictionary<string, string> { ["column"] = ExportColumns.DescribeField(ExportField.District) }));
        }
        if (!header.Columns.ContainsKey(ExportField.FlaggedVisitors))
        {
            missing.Add(new ExportMessage(MessageSeverity.FileWarning, "flagged_column_missing",
                $"The file has no {ExportColumns.DescribeField(ExportField.FlaggedVisitors)} column: the week's flagged visitors are not reported.",
                header.LineNo, null, ExportColumns.DescribeField(ExportField.FlaggedVisitors),
                Args: new Dictionary<string, string> { ["column"] = ExportColumns.DescribeField(ExportField.FlaggedVisitors) }));
        }
        return [.. missing];
    }

    private static ExportFileException MissingColumns(ExportHeader header, string fileName, string lineWord) => new("missing_columns",
        $"The header of '{fileName}' ({lineWord.ToLowerInvariant()} {header.LineNo}) lacks the required columns "
        + $"{string.Join(", ", header.MissingRequired.Select(ExportColumns.DescribeField))}. "
        + $"Columns found: {MessageText.Titles(header.Titles)}.",
        new Dictionary<string, string>
        {
            ["line"] = header.LineNo.ToString(CultureInfo.InvariantCulture),
            ["columns"] = string.Join(", ", header.MissingRequired.Select(ExportColumns.DescribeField)),
            ["found"] = MessageText.Titles(header.Titles),
        });

    /// <summary>A period such as "за период 19.07.2021 – 25.07.2021" or "2021-07-19 - 2021-07-25" in a title line.</summary>
    internal static (DateOnly Start, DateOnly End)? FindPeriod(string title)
    {
        var match = PeriodPattern().Match(title);
        if (!match.Success)
            return null;
        return ParseTitleDate(match.Groups["start"].Value) is { } start && ParseTitleDate(match.Groups["end"].Value) is { } end
            ? (start, end)
            : null;
    }

    private static DateOnly? ParseTitleDate(string text) =>
        DateOnly.TryParseExact(text, ["d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    [GeneratedRegex(
        @"(?:(?:\bс|\bfrom)\s+)?(?<start>\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\s*(?:[-‐‑‒–—―−]|\s(?:по|to|до|until)\s)\s*(?<end>\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PeriodPattern();
}
