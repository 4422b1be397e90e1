using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Copies an upload into a file gzip-compressed, hashing it on the way. The bytes are cut into blocks
/// compressed side by side, one per core, each written as a gzip member of its own: a gzip file may
/// hold members one after another, and reading it back yields the original bytes in order. Memory stays
/// a few blocks whatever the size of the upload.
/// </summary>
internal static class BlockGzipWriter
{
    public const int BlockBytes = 4 << 20;

    public sealed record Result(string Sha256, long Size);

    /// <exception cref="UploadTooLargeException">The upload is longer than <paramref name="limit"/> bytes.</exception>
    public static async Task<Result> CopyAsync(Stream content, Stream target, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inFlight = new Queue<Task<CompressedBlock>>();
        var parallel = Math.Max(1, Environment.ProcessorCount);
        long size = 0;
        try
        {
            while (true)
            {
                var block = ArrayPool<byte>.Shared.Rent(BlockBytes);
                int read;
                try
                {
                    read = await content.ReadAtLeastAsync(block.AsMemory(0, BlockBytes), BlockBytes, throwOnEndOfStream: false, cancellationToken);
                    size += read;
                    if (size > limit)
                        throw new UploadTooLargeException(limit);
                    hash.AppendData(block, 0, read);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(block);
                    throw;
                }
                if (read == 0 && size > 0)
                {
                    ArrayPool<byte>.Shared.Return(block);
                    break;
                }
                // An empty upload still becomes a valid (empty) gzip file.
                inFlight.Enqueue(Task.Run(() => Compress(block, read), cancellationToken));
                if (inFlight.Count >= parallel)
                    await WriteAsync(inFlight.Dequeue(), target, cancellationToken);
                if (read < BlockBytes)
                    break;
            }
            while (inFlight.Count > 0)
                await WriteAsync(inFlight.Dequeue(), target, cancellationToken);
        }
        finally
        {
            // Blocks still being compressed after a failure give their buffers back when they are done.
            foreach (var pending in inFlight)
                _ = pending.ContinueWith(done => done.Result.Return(), TaskContinuationOptions.OnlyOnRanToCompletion);
        }
        return new Result(Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    // A block's member is written into a pooled buffer as large as the block and some: deflate at its
    // fastest never grows data by more than a few bytes in a thousand, so the buffer does not run out,
    // and a long upload leaves no trail of large buffers for the collector.
    private static CompressedBlock Compress(byte[] block, int length)
    {
        var output = ArrayPool<byte>.Shared.Rent(BlockBytes + BlockBytes / 16 + 1024);
        try
        {
            using var member = new MemoryStream(output, 0, output.Length, writable: true);
            using (var gzip = new GZipStream(member, CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(block, 0, length);
            return new CompressedBlock(output, (int)member.Position);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static async Task WriteAsync(Task<CompressedBlock> compressing, Stream target, CancellationToken cancellationToken)
    {
        var member = await compressing;
        try
        {
            await target.WriteAsync(member.Buffer.AsMemory(0, member.Length), cancellationToken);
        }
        finally
        {
            member.Return();
        }
    }

    private readonly record struct CompressedBlock(byte[] Buffer, int Length)
    {
        public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
    }
}
