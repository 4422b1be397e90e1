namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <param name="Args">The message's values by name as a JSON object (null for messages stored before they were kept).</param>
public sealed record ImportMessageRow(string Severity, string Code, int? LineNo, string? Column, string? Value, string? Bin, string Message, string? Args = null);
