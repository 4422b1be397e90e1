using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Imports;

/// <summary>The words an import's state is stored as (<c>imports.state</c>); SQL is written with these.</summary>
public static class ImportStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Loaded = "loaded";
    public const string Failed = "failed";
    public const string Duplicate = "duplicate";

    /// <summary>Loaded into a draft that staff then discarded: the stored file stays, its rows are gone.</summary>
    public const string Discarded = "discarded";

    /// <summary>Loaded and published, then replaced by another file for the week: the stored file stays, its rows are gone.</summary>
    public const string Replaced = "replaced";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Loaded, Failed, Duplicate, Discarded, Replaced];
}

public static class ImportSources
{
    public const string Upload = "upload";
    public const string Inbox = "inbox";
    public const string CommandLine = "cli";
    public const string Demo = "demo";
}

/// <summary>A file stored for import. A duplicate is the same bytes already loaded (or loading) for the same week.</summary>
public sealed record StoredImport(long Id, bool IsDuplicate, long? DuplicateOf);

/// <summary>Where an import ended, with the first of its messages.</summary>
public sealed record ImportOutcome(
    long ImportId,
    DateOnly WeekStart,
    string State,
    int RowsRead,
    int RowsLoaded,
    int RowsRejected,
    int Warnings,
    string? Error,
    long? DuplicateOf,
    bool Published,
    IReadOnlyList<ExportMessage> FirstMessages)
{
    public bool Succeeded => State is ImportStates.Loaded or ImportStates.Duplicate;
}

public sealed class UploadTooLargeException(long limit)
    : Exception($"The file is larger than the limit of {limit / (1024 * 1024)} MB.")
{
    public long Limit { get; } = limit;
}

/// <summary>The import is held by another process at the moment; try again later.</summary>
public sealed class ImportBusyException(long importId)
    : Exception($"Import {importId} is being loaded by another process; try again later.")
{
    public long ImportId { get; } = importId;
}
