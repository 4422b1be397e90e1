using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Writes log lines to standard output (or standard error from a given level) on a thread of its own,
/// as many lines per write as have queued up. The code that logs only formats its line and queues it:
/// writing and flushing every line where it was logged cost a system call per request, about a sixth of an
/// uncached API request's time. Nothing is dropped: when the queue is full the logging thread waits
/// for room. Disposing, or the process ending, writes out whatever is still queued.
/// </summary>
public sealed class BatchedConsoleSink : ILogEventSink, IDisposable
{
    private const int QueueCapacity = 20_000;

    private readonly ITextFormatter formatter;
    private readonly LogEventLevel? standardErrorFrom;
    private readonly BlockingCollection<(string Line, bool ToError)> queue = new(QueueCapacity);
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly Thread writer;
    private int disposed;

    /// <param name="standardErrorFrom">Lines at this level and above go to standard error; null sends none there.</param>
    public BatchedConsoleSink(ITextFormatter formatter, LogEventLevel? standardErrorFrom, Stream? output = null, Stream? error = null)
    {
        this.formatter = formatter;
        this.standardErrorFrom = standardErrorFrom;
        this.output = Open(output ?? Console.OpenStandardOutput());
        this.error = Open(error ?? Console.OpenStandardError());
        writer = new Thread(WriteQueuedLines) { IsBackground = true, Name = "Log writer" };
        writer.Start();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public void Emit(LogEvent logEvent)
    {
        var line = new StringWriter();
        formatter.Format(logEvent, line);
        try
        {
            queue.Add((line.ToString(), logEvent.Level >= standardErrorFrom));
        }
        catch (InvalidOperationException)
        {
            // Logged while the sink shuts down: written here and now rather than lost.
            lock (queue)
            {
                var target = logEvent.Level >= standardErrorFrom ? error : output;
                target.Write(line.ToString());
                target.Flush();
            }
        }
    }

    private void WriteQueuedLines()
    {
        // TryTake waits for the next line and returns false only once the queue is closed and empty.
        while (queue.TryTake(out var item, Timeout.Infinite))
        {
            lock (queue)
            {
                do (item.ToError ? error : output).Write(item.Line);
                while (queue.TryTake(out item));
                output.Flush();
                error.Flush();
            }
        }
    }

    private static StreamWriter Open(Stream stream) => new(stream, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        queue.CompleteAdding();
        writer.Join(TimeSpan.FromSeconds(10));
        lock (queue)
        {
            output.Flush();
            error.Flush();
        }
    }
}
