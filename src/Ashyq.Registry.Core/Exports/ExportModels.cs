namespace Ashyq.Registry.Core.Exports;

/// <summary>A business's status as the weekly export (and the registry) knows it.</summary>
public enum BusinessStatus
{
    Participant,
    Leader,
    Outsider,
    Excluded,
}

public static class BusinessStatusCodes
{
    public static string ToCode(this BusinessStatus status) => status switch
    {
        BusinessStatus.Leader => "leader",
        BusinessStatus.Outsider => "outsider",
        BusinessStatus.Participant => "participant",
        BusinessStatus.Excluded => "excluded",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}

public enum MessageSeverity
{
    FileError,
    FileWarning,
    RowError,
    RowWarning,
}

/// <summary>
/// One finding of the reader or the pipeline. Code is stable (tests and translations key on it);
/// Message is plain English for logs and the command line; Value is the cell as read; Args are the
/// message's variable parts by name (the placeholders of its code's texts, <see cref="ExportMessageCodes"/>),
/// so that the site can say it in any of its languages.
/// </summary>
public sealed record ExportMessage(
    MessageSeverity Severity,
    string Code,
    string Message,
    int? LineNo = null,
    string? Column = null,
    string? Value = null,
    string? Bin = null,
    IReadOnlyDictionary<string, string>? Args = null)
{
    public string SeverityCode => Severity switch
    {
        MessageSeverity.FileError => "file_error",
        MessageSeverity.FileWarning => "file_warning",
        MessageSeverity.RowError => "row_error",
        _ => "row_warning",
    };
}

/// <summary>One valid data row, already normalised: BIN as 12 digits, category mapped, district as a code.</summary>
public sealed record ExportRow(
    int LineNo,
    string Bin,
    string Name,
    string CategoryCode,
    string CategoryRaw,
    string? DistrictCode,
    string? Address,
    DateOnly? JoinedOn,
    int Scans,
    int FlaggedVisitors,
    BusinessStatus Status,
    string? Reason);

/// <summary>What one data row of the file came to: a row to load (maybe with warnings), or errors only.</summary>
public sealed record ExportRowResult(int LineNo, ExportRow? Row, IReadOnlyList<ExportMessage> Messages);

/// <summary>
/// A problem with the file as a whole: nothing from it is loaded. Args are the variable parts of the message by
/// name (the placeholders of its code in <see cref="ExportMessageCodes.File"/>), so that the site can say it in
/// the reader's language.
/// </summary>
public sealed class ExportFileException(string code, string message, IReadOnlyDictionary<string, string>? args = null) : Exception(message)
{
    public string Code { get; } = code;

    public IReadOnlyDictionary<string, string> Args { get; } = args ?? new Dictionary<string, string>();
}
