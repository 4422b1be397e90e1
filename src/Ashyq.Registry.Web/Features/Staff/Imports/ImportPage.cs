using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Imports;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

public sealed record ImportProgress(string State, int RowsRead, bool Finished);

public sealed record ImportPage(
    Import Import,
    string? WeekStatus,
    bool IsWeeksCurrentImport,
    int? ExpectedRows,
    IReadOnlyDictionary<string, int> MessageCounts,
    IReadOnlyList<ImportMessageRow> FileMessages,
    IReadOnlyList<ImportMessageRow> RowErrors,
    IReadOnlyList<ImportMessageRow> RowWarnings)
{
    public bool Finished => IsFinished(Import.State);

    /// <summary>The import failed for a passing reason, so loading it again may succeed.</summary>
    public bool CanRetry { get; init; }

    /// <summary>The import is loaded beside its published week, waiting to replace it.</summary>
    public bool IsWaitingReplacement { get; init; }

    public int Count(string severity) => MessageCounts.TryGetValue(severity, out var count) ? count : 0;

    public static bool IsFinished(string state) => state is not (ImportStates.Queued or ImportStates.Running);
}
