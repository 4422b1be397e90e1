namespace Ashyq.Registry.Web.Features.Staff.Imports;

public sealed record ImportListRow(
    long Id, string UploadedBy, DateTimeOffset UploadedAt, DateOnly WeekStart, string FileName, string Sha256, string State,
    int RowsRead, int RowsLoaded, int RowsRejected, int Warnings, string? Error, long? DuplicateOf, string Source, bool CanRetry);

public sealed record ImportList(IReadOnlyList<ImportListRow> Rows, int Page, bool HasMore);
