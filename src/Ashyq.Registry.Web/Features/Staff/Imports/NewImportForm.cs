namespace Ashyq.Registry.Web.Features.Staff.Imports;

public sealed record NewImportForm(string WeekStart, string? Problem, string MaxUploadSize);
