using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Ashyq.Registry.Core.Imports;

/// <summary>
/// Runs a sequence on a thread of its own, a bounded number of batches ahead of the consumer, so
/// that reading and validating a file and sending its rows to the database use two cores. Memory
/// stays bounded by <c>batchSize × batchesAhead</c> items. An exception of the sequence reaches the
/// consumer at the point where the sequence failed; disposing stops the reader.
/// </summary>
internal sealed class ReadAhead<T> : IDisposable
{
    private readonly BlockingCollection<T[]> _batches;
    private readonly CancellationTokenSource _stop;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    public ReadAhead(IEnumerable<T> source, int batchSize, int batchesAhead, CancellationToken cancellationToken)
    {
        _batches = new BlockingCollection<T[]>(batchesAhead);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _thread = new Thread(() => Produce(source, batchSize)) { IsBackground = true, Name = "import-reader" };
        _thread.Start();
    }

    public IEnumerable<T> Items()
    {
        foreach (var batch in _batches.GetConsumingEnumerable(_stop.Token))
        {
            foreach (var item in batch)
                yield return item;
        }
        _thread.Join();
        _failure?.Throw();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _batches.Dispose();
        _stop.Dispose();
    }

    [SuppressMessage("Design", "CA1031", Justification = "Whatever stops the reading thread is rethrown to the consumer, after the rows read before it.")]
    private void Produce(IEnumerable<T> source, int batchSize)
    {
        var batch = new List<T>(batchSize);
        try
        {
            foreach (var item in source)
            {
                batch.Add(item);
                if (batch.Count < batchSize)
                    continue;
                _batches.Add([.. batch], _stop.Token);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            batch.Clear();
        }
        catch (Exception e)
        {
            // The items read before the failure still reach the consumer, then the failure.
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        try
        {
            if (batch.Count > 0)
                _batches.Add([.. batch], _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            _batches.CompleteAdding();
        }
    }
}
