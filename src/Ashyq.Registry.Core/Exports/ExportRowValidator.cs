using System.Globalization;
using System.Text.RegularExpressions;

namespace Ashyq.Registry.Core.Exports;

/// <summary>Turns one data row into a row to load, or into the list of everything wrong with it.</summary>
/// <param name="lineWord">"Line" for a CSV file, "Row" for a worksheet: how messages name a position.</param>
internal sealed partial class ExportRowValidator(ExportHeader header, CategoryMatcher categories, string lineWord)
{
    public const int MaxNameLength = 300;
    public const int MaxAddressLength = 500;
    public const int MaxReasonLength = 1000;

    private static readonly string[] TotalWords = ["итого", "всего", "барлығы", "жиыны", "total"];
    private static readonly string[] DateFormats = ["dd.MM.yyyy", "yyyy-MM-dd"];
    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);

    // A plain number in the joined_on column is taken for a date cell whose format was not recognised only
    // when it falls in this century; any other number is more likely a mistake than a date.
    private static readonly double FirstSerialDate = new DateOnly(2000, 1, 1).DayNumber - ExcelEpoch.DayNumber;
    private static readonly double LastSerialDate = new DateOnly(2099, 12, 31).DayNumber - ExcelEpoch.DayNumber;

    // Category and district texts repeat row after row; each distinct text is matched once. The cap keeps
    // a file of all-different texts from growing them without end.
    private const int MatchCacheLimit = 10_000;
    private readonly Dictionary<string, string?> _categoryCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _districtCodes = new(StringComparer.Ordinal);

    private readonly Func<string, string?> _matchCategory = categories.Match;

    private static readonly List<(ExportField, string, int)> NothingCleaned = [];

    private readonly List<ExportMessage> _messages = [];
    private bool _hasError;
    private int _lineNo;
    private string? _bin;

    /// <summary>The row's result, or null for a row that is no data: wholly empty, or the closing total.</summary>
    public ExportRowResult? Validate(SheetRow row)
    {
        if (row.IsBlank || IsTotalRow(row))
            return null;
        _messages.Clear();
        _hasError = false;
        _lineNo = row.LineNo;
        _bin = null;

        var cleaned = RemoveUnsafeCharacters(row);
        _bin = ReadBin(row);
        foreach (var (field, text, removed) in cleaned)
        {
            Warn(field, "control_characters", text,
                $"{removed} control character{(removed == 1 ? " was" : "s were")} removed; the text is kept without {(removed == 1 ? "it" : "them")}.",
                Args("count", Number(removed)));
        }
        var name = ReadText(row, ExportField.Name, MaxNameLength, required: true, "name");
        var categoryRaw = Cell(row, ExportField.Category).Text.Trim();
        var district = ReadDistrict(row);
        var address = ReadText(row, ExportField.Address, MaxAddressLength, required: false, "address");
        var joinedOn = ReadJoinedOn(row);
        var scans = ReadWholeNumber(row, ExportField.Scans, required: true, "scans");
        var flagged = ReadWholeNumber(row, ExportField.FlaggedVisitors, required: false, "flagged");
        var status = ReadStatus(row);
        var reason = ReadText(row, ExportField.Reason, MaxReasonLength, required: false, "reason");

        if (_hasError)
            return new ExportRowResult(row.LineNo, null, _messages.Where(m => m.Severity == MessageSeverity.RowError).ToArray());

        var categoryCode = Matched(_categoryCodes, categoryRaw, _matchCategory);
        if (categoryCode is null && categoryRaw.Length == 0)
            Warn(ExportField.Category, "category_empty", categoryRaw, "The category is empty; the business is filed under other.");
        else if (categoryCode is null)
        {
            Warn(ExportField.Category, "category_unknown", categoryRaw,
                $"The category '{MessageText.Excerpt(categoryRaw)}' matches no registry category; the business is filed under other.",
                Args("category", MessageText.Cut(categoryRaw)));
        }
        if (status == BusinessStatus.Excluded && reason is null)
            Warn(ExportField.Status, "excluded_no_reason", Cell(row, ExportField.Status).Text, "The business is excluded but no reason is given.");

        var exportRow = new ExportRow(row.LineNo, _bin!, name!, categoryCode ?? "other", categoryRaw, district, address, joinedOn,
            scans!.Value, flagged ?? 0, status!.Value, reason);
        return new ExportRowResult(row.LineNo, exportRow, _messages.ToArray());
    }

    /// <summary>
    /// Takes out of every cell the characters no page, feed or spreadsheet can carry (a control character
    /// pasted into a name, say), before anything reads the row; a column the registry keeps gets a warning.
    /// </summary>
    private List<(ExportField Field, string Text, int Removed)> RemoveUnsafeCharacters(SheetRow row)
    {
        List<(ExportField, string, int)>? cleaned = null;
        for (var i = 0; i < row.Cells.Length; i++)
        {
            var cell = row.Cells[i];
            if (!TextNormalizer.HasUnsafeCharacters(cell.Text))
                continue;
            var clean = TextNormalizer.RemoveUnsafeCharacters(cell.Text, out var removed);
            row.Cells[i] = cell with { Text = clean };
            foreach (var (field, column) in header.Columns)
            {
                if (column.Index == i)
                    (cleaned ??= []).Add((field, clean, removed));
            }
        }
        return cleaned ?? NothingCleaned;
    }

    private bool IsTotalRow(SheetRow row)
    {
        var first = Array.FindIndex(row.Cells, cell => !cell.IsBlank);
        if (first < 0)
            return false;
        var binIndex = header.Columns[ExportField.Bin].Index;
        if (first != binIndex && !row[binIndex].IsBlank)
            return false;
        // Every word of a total row starts with a letter; a row that starts with a digit (a BIN) is data.
        var start = row.Cells[first].Text.AsSpan().TrimStart();
        if (start.Length > 0 && char.IsAsciiDigit(start[0]))
            return false;
        var text = TextNormalizer.Fold(row.Cells[first].Text);
        return TotalWords.Any(word => text.StartsWith(word, StringComparison.Ordinal)
            && (text.Length == word.Length || !char.IsLetterOrDigit(text[word.Length])));
    }

    private string? ReadBin(SheetRow row)
    {
        var cell = Cell(row, ExportField.Bin);
        string digits;
        // A BIN typed into Excel as a number has lost its leading zeros: put them back.
        if (cell.Value is double number && number >= 0 && number < 1e12 && number == Math.Floor(number))
            digits = ((long)number).ToString("D12", CultureInfo.InvariantCulture);
        else if (IsAsciiDigits(cell.Text))
            digits = cell.Text;
        else
            digits = string.Concat(cell.Text.Where(c => !char.IsWhiteSpace(c)));

        if (digits.Length == 0)
            return Error(ExportField.Bin, "bin_missing", cell.Text, "The BIN is missing.");
        // A spreadsheet reads a BIN typed as a number and drops its leading zeros. The contract still
        // wants 12 digits, but the message says what happened and how to keep them.
        if (digits.Length < 12 && digits.All(char.IsAsciiDigit) && digits.PadLeft(12, '0') is var padded && Bin.IsValid(padded))
        {
            return Error(ExportField.Bin, "bin_leading_zeros", cell.Text,
                $"The BIN {digits} has {digits.Length} digits; with its leading zeros back it is {padded}, a valid BIN. A spreadsheet probably "
                + "removed the zeros: format the BIN column as Text before typing or pasting, or save the file as CSV with the column as text, and export again.",
                padded, Args("digits", digits, "count", Number(digits.Length), "padded", padded));
        }
        if (digits.Length != 12 || !digits.All(char.IsAsciiDigit))
        {
            return Error(ExportField.Bin, "bin_length", cell.Text, $"The BIN '{MessageText.Excerpt(cell.Text.Trim())}' is not 12 digits.", digits,
                Args("bin", MessageText.Cut(cell.Text.Trim())));
        }
        if (!Bin.IsValid(digits))
            return Error(ExportField.Bin, "bin_check_digit", cell.Text, $"The BIN {digits} fails the check digit.", digits, Args("bin", digits));
        return digits;
    }

    private string? ReadText(SheetRow row, ExportField field, int maxLength, bool required, string code)
    {
        var cell = Cell(row, field);
        var text = cell.Text.Trim();
        if (text.Length == 0)
            return required ? Error(field, $"{code}_missing", cell.Text, $"The {Describe(field)} is missing.") : null;
        if (text.Length > maxLength)
        {
            return Error(field, $"{code}_too_long", cell.Text,
                $"The {Describe(field)} is {text.Length} characters long; at most {maxLength} are allowed.",
                args: Args("length", Number(text.Length), "max", Number(maxLength)));
        }
        return text;
    }

    private string? ReadDistrict(SheetRow row)
    {
        var cell = Cell(row, ExportField.District);
        if (cell.IsBlank)
            return null;
        var code = Matched(_districtCodes, cell.Text, DistrictMatcher.Match);
        if (code is null)
        {
            Warn(ExportField.District, "district_unknown", cell.Text,
                $"'{MessageText.Excerpt(cell.Text.Trim())}' is not one of Almaty's districts; the row is kept with no district.",
                Args("district", MessageText.Cut(cell.Text.Trim())));
        }
        return code;
    }

    private DateOnly? ReadJoinedOn(SheetRow row)
    {
        var cell = Cell(row, ExportField.JoinedOn);
        switch (cell.Value)
        {
            case DateTime date:
                return DateOnly.FromDateTime(date);
            case double serial when serial >= FirstSerialDate && serial < LastSerialDate + 1:
                return ExcelEpoch.AddDays((int)Math.Floor(serial));
        }
        var text = cell.Text.Trim();
        if (text.Length == 0)
            return null;
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return parsed;
        Error(ExportField.JoinedOn, "joined_on_invalid", cell.Text, $"'{MessageText.Excerpt(text)}' is not a date (dd.MM.yyyy or yyyy-MM-dd).",
            args: Args("text", MessageText.Cut(text)));
        return null;
    }

    private int? ReadWholeNumber(SheetRow row, ExportField field, bool required, string code)
    {
        var cell = Cell(row, field);
        var text = cell.Text.Trim();
        if (cell.Value is null && text.Length == 0)
            return required ? Error<int>(field, $"{code}_missing", cell.Text, $"The {Describe(field)} value is missing.") : null;

        long? value = cell.Value switch
        {
            double number when number == Math.Floor(number) && Math.Abs(number) <= int.MaxValue => (long)number,
            null => ParseWholeNumber(text),
            _ => null,
        };
        if (value is null)
            return Error<int>(field, $"{code}_invalid", cell.Text, $"'{MessageText.Excerpt(text)}' is not a whole number.", Args("text", MessageText.Cut(text)));
        if (value < 0)
            return Error<int>(field, $"{code}_negative", cell.Text, $"The {Describe(field)} value {value} is negative.", Args("value", Number(value.Value)));
        if (value > int.MaxValue)
            return Error<int>(field, $"{code}_too_large", cell.Text, $"'{MessageText.Excerpt(text)}' is too large.", Args("text", MessageText.Cut(text)));
        return (int)value;
    }

    /// <summary>
    /// Whole numbers are digits only, optionally with a minus sign and with spaces (plain, no-break or
    /// narrow no-break) between groups of three digits, the way Russian and Kazakh locales print thousands.
    /// Decimal points, commas and other separators are refused rather than guessed at.
    /// </summary>
    internal static long? ParseWholeNumber(string text)
    {
        // Most numbers are plain digits: those need no pattern.
        if (text.Length is > 0 and <= 12 && IsAsciiDigits(text))
            return long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        var match = WholeNumberPattern().Match(text);
        if (!match.Success)
            return null;
        var digits = string.Concat(match.Groups["digits"].Value.Where(char.IsAsciiDigit));
        if (digits.Length > 12)
            return long.MaxValue;
        var value = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return match.Groups["sign"].Success ? -value : value;
    }

    [GeneratedRegex(@"^(?<sign>[-−])?(?<digits>[0-9]+|[0-9]{1,3}(?:[ \u00A0\u202F\u2009][0-9]{3})+)$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumberPattern();

    private static string? Matched(Dictionary<string, string?> cache, string text, Func<string, string?> match)
    {
        if (cache.TryGetValue(text, out var code))
            return code;
        code = match(text);
        if (cache.Count < MatchCacheLimit)
            cache[text] = code;
        return code;
    }

    private static bool IsAsciiDigits(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    private BusinessStatus? ReadStatus(SheetRow row)
    {
        var cell = Cell(row, ExportField.Status);
        var text = cell.Text.Trim();
        if (text.Length == 0)
            return Error<BusinessStatus>(ExportField.Status, "status_missing", cell.Text, "The status is missing.");
        if (ExportColumns.ParseStatus(text) is { } status)
            return status;
        return Error<BusinessStatus>(ExportField.Status, "status_unknown", cell.Text,
            $"'{MessageText.Excerpt(text)}' is not a status: expected participant, leader, outsider or excluded (участник, лидер, аутсайдер, исключен).",
            Args("text", MessageText.Cut(text)));
    }

    private SheetCell Cell(SheetRow row, ExportField field) =>
        header.Columns.TryGetValue(field, out var column) ? row[column.Index] : SheetCell.Empty;

    private string? Error(ExportField field, string code, string value, string message, string? bin = null, Dictionary<string, string>? args = null)
    {
        Add(MessageSeverity.RowError, field, code, value, message, bin, args);
        return null;
    }

    private T? Error<T>(ExportField field, string code, string value, string message, Dictionary<string, string>? args = null)
        where T : struct
    {
        Add(MessageSeverity.RowError, field, code, value, message, null, args);
        return null;
    }

    private void Warn(ExportField field, string code, string value, string message, Dictionary<string, string>? args = null) =>
        Add(MessageSeverity.RowWarning, field, code, value, message, null, args);

    private void Add(MessageSeverity severity, ExportField field, string code, string value, string message, string? bin, Dictionary<string, string>? args)
    {
        if (severity == MessageSeverity.RowError)
            _hasError = true;
        var column = header.Columns.TryGetValue(field, out var c) ? c.Title : ExportColumns.DescribeField(field);
        _messages.Add(new ExportMessage(severity, code, $"{lineWord} {_lineNo}, column '{MessageText.Excerpt(column)}': {message}", _lineNo, column, value,
            bin ?? _bin, args));
    }

    // Built only for a row that has something to say, so a clean row costs nothing more.
    private static Dictionary<string, string> Args(string name, string value) => new(1, StringComparer.Ordinal) { [name] = value };

    private static Dictionary<string, string> Args(string name1, string value1, string name2, string value2) =>
        new(2, StringComparer.Ordinal) { [name1] = value1, [name2] = value2 };

    private static Dictionary<string, string> Args(string name1, string value1, string name2, string value2, string name3, string value3) =>
        new(3, StringComparer.Ordinal) { [name1] = value1, [name2] = value2, [name3] = value3 };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(ExportField field) => field switch
    {
        ExportField.Name => "name",
        ExportField.Address => "address",
        ExportField.Reason => "reason",
        ExportField.Scans => "scans",
        ExportField.FlaggedVisitors => "flagged visitors",
        _ => field.ToString().ToLowerInvariant(),
    };
}
