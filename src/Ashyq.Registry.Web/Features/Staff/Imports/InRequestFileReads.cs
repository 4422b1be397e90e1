using Ashyq.Registry.Core;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Staff.Imports;

/// <summary>
/// The few uploads at a time whose file is read inside the web request (the title line, when staff leave the
/// week blank). Each such read is bounded like an import's; this keeps concurrent uploads from adding up, so
/// that three hostile files at once cost what one does (<see cref="RegistryOptions.InRequestReadConcurrency"/>).
/// </summary>
public sealed class InRequestFileReads(IOptions<RegistryOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.InRequestReadConcurrency, options.Value.InRequestReadConcurrency);

    public async Task<T> RunAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return read();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
