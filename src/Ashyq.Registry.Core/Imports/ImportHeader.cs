namespace Ashyq.Registry.Core.Imports;

/// <summary>What a claimed import's row says about the file it loads.</summary>
internal sealed record ImportHeader(long Id, DateOnly WeekStart, string FileName, string Sha256, string UploadedBy, bool PublishWhenLoaded);
