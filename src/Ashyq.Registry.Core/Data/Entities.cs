namespace Ashyq.Registry.Core.Data;

public sealed class Category
{
    public required string Code { get; set; }
    public required string NameRu { get; set; }
    public required string NameKk { get; set; }
    public required string NameEn { get; set; }
    public int SortOrder { get; set; }
}

public sealed class District
{
    public required string Code { get; set; }
    public required string NameRu { get; set; }
    public required string NameKk { get; set; }
    public required string NameEn { get; set; }
    public int SortOrder { get; set; }
}

public sealed class CategoryAlias
{
    public long Id { get; set; }
    public required string Alias { get; set; }
    public required string CategoryCode { get; set; }
    public bool IsBuiltin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

public sealed class Import
{
    public long Id { get; set; }
    public DateOnly WeekStart { get; set; }
    public required string FileName { get; set; }
    public long SizeBytes { get; set; }
    public required string Sha256 { get; set; }
    public required string Source { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string State { get; set; }
    public bool PublishWhenLoaded { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Format { get; set; }
    public int RowsRead { get; set; }
    public int RowsLoaded { get; set; }
    public int RowsRejected { get; set; }
    public int Warnings { get; set; }
    public string? Error { get; set; }
    public long? DuplicateOf { get; set; }

    /// <summary>The background job last queued for the import; the sweep queues another when it is not live.</summary>
    public string? JobId { get; set; }
}

public sealed class ImportFile
{
    public long ImportId { get; set; }
    public required byte[] Content { get; set; }

    /// <summary>"gzip" (compressed when stored) or "identity" (stored as uploaded, before compression was introduced).</summary>
    public string ContentEncoding { get; set; } = "identity";
}

public sealed class ImportMessage
{
    public long ImportId { get; set; }
    public int Seq { get; set; }
    public required string Severity { get; set; }
    public required string Code { get; set; }
    public int? LineNo { get; set; }
    public string? ColumnName { get; set; }
    public string? Value { get; set; }
    public string? Bin { get; set; }
    public required string Message { get; set; }

    /// <summary>The message's variable parts by name, as a JSON object; null for messages stored before they were kept.</summary>
    public string? Args { get; set; }
}

public sealed class ReportingWeek
{
    public DateOnly WeekStart { get; set; }
    public required string Status { get; set; }
    public long ImportId { get; set; }
    public required string SourceSha256 { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public string? WithdrawReason { get; set; }
    public int Participants { get; set; }
    public int Leaders { get; set; }
    public int Outsiders { get; set; }
    public int Excluded { get; set; }
    public int ExcludedByRule { get; set; }
    public long FlaggedVisitors { get; set; }

    /// <summary>False when the week's file had no flagged-visitors column: <see cref="FlaggedVisitors"/> is then no figure.</summary>
    public bool FlaggedVisitorsReported { get; set; }
}

public sealed class WeekRow
{
    public DateOnly WeekStart { get; set; }
    public required string Bin { get; set; }
    public int LineNo { get; set; }
    public required string Name { get; set; }
    public required string CategoryCode { get; set; }
    public required string CategoryRaw { get; set; }
    public string? DistrictCode { get; set; }
    public string? Address { get; set; }
    public DateOnly? JoinedOn { get; set; }
    public int Scans { get; set; }
    public int FlaggedVisitors { get; set; }
    public required string FileStatus { get; set; }
    public required string Status { get; set; }
    public string? Reason { get; set; }
    public string? ExclusionSource { get; set; }
}

public sealed class WeekCount
{
    public DateOnly WeekStart { get; set; }
    public required string Dimension { get; set; }
    public required string Code { get; set; }
    public int Participants { get; set; }
    public int Leaders { get; set; }
    public int Outsiders { get; set; }
    public int Excluded { get; set; }
}

public sealed class Business
{
    public required string Bin { get; set; }
    public required string Name { get; set; }
    public required string CategoryCode { get; set; }
    public required string CategoryRaw { get; set; }
    public string? DistrictCode { get; set; }
    public string? Address { get; set; }
    public DateOnly? JoinedOn { get; set; }
    public DateOnly FirstListedWeek { get; set; }
}

public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Subject { get; set; }
    public string? Details { get; set; }
    public string? Ip { get; set; }
}
