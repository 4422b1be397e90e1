using System.Text;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Imports;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <summary>
/// An upload form read as a stream: the file goes straight to a spool file with the size limit counted
/// as it arrives, so an oversized upload is refused before anything is stored and a large one never sits
/// in memory. The small text fields are collected for the anti-forgery check and the week.
/// </summary>
public sealed class ImportUpload : IDisposable
{
    // Read by hand rather than with Request.ReadFormAsync: the form reader buffers every file part into the
    // system's temporary folder before the action sees it, and reports a part over its length limit as the same
    // InvalidDataException as a malformed body. Here only the first "File" part is kept, written once into
    // Registry:WorkPath with Registry:MaxUploadBytes counted as its bytes arrive (a distinct 413), each text
    // field is capped, and memory holds one 80 KiB buffer whatever the file's size.
    public const string FileField = "File";
    private const int MaxFieldLength = 4096;

    private ImportUpload(string spoolPath) => SpoolPath = spoolPath;

    public string SpoolPath { get; }
    public string? FileName { get; private set; }
    public long FileBytes { get; private set; }
    public Dictionary<string, StringValues> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the whole multipart body. Throws <see cref="UploadTooLargeException"/> past the limit, <see cref="InvalidDataException"/> for a malformed body.</summary>
    public static async Task<ImportUpload> ReadAsync(HttpRequest request, RegistryOptions options, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            throw new InvalidDataException("The upload is not a multipart form.");

        var directory = options.WorkDirectory();
        var upload = new ImportUpload(Path.Combine(directory, $"staff-upload-{Guid.NewGuid():N}"));
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (!name.Equals(FileField, StringComparison.OrdinalIgnoreCase) || upload.FileName is not null)
                        continue;
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    upload.FileBytes = await upload.SpoolAsync(section.Body, options.MaxUploadBytes, cancellationToken);
                    upload.FileName = string.IsNullOrWhiteSpace(fileName) && upload.FileBytes == 0 ? null : fileName ?? "upload";
                }
                else if (name.Length > 0)
                {
                    upload.Fields[name] = await ReadFieldAsync(section.Body, cancellationToken);
                }
            }
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    public string Field(string name) => Fields.TryGetValue(name, out var value) ? value.ToString().Trim() : "";

    public void Dispose()
    {
        try
        {
            File.Delete(SpoolPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<long> SpoolAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(SpoolPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            size += read;
            if (size > limit)
                throw new UploadTooLargeException(limit);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return size;
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[MaxFieldLength + 1];
        var length = await reader.ReadBlockAsync(buffer, cancellationToken);
        if (length > MaxFieldLength)
            throw new InvalidDataException("A form field is too long.");
        return new string(buffer, 0, length);
    }
}
