using System.Text;
using Ashyq.Registry.Web.Infrastructure;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>The log sink that writes from a thread of its own: every line arrives, whole, on the right stream.</summary>
public sealed class BatchedConsoleSinkTests
{
    private static readonly MessageTemplateTextFormatter Format = new("{Level:u3} {Message:lj}{NewLine}");

    [Fact]
    public async Task Lines_LoggedFromManyThreadsAtOnce_AllWrittenWholeAndInEachThreadsOrder()
    {
        var output = new MemoryStream();
        var logger = new LoggerConfiguration().WriteTo.Sink(new BatchedConsoleSink(Format, null, output, new MemoryStream())).CreateLogger();

        // More lines than the queue holds, so that loggers also wait for room.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
                logger.Information("thread {Thread} line {Line}", thread, i);
        })));
        logger.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(40_000, lines.Length);
        for (var thread = 0; thread < 8; thread++)
        {
            var own = lines.Where(l => l.StartsWith($"INF thread {thread} ", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"INF thread {thread} line {i}"), own);
        }
    }

    [Fact]
    public void Lines_FromTheGivenLevel_GoToStandardError_TheRestToStandardOutput()
    {
        var output = new MemoryStream();
        var error = new MemoryStream();
        var logger = new LoggerConfiguration().WriteTo.Sink(new BatchedConsoleSink(Format, LogEventLevel.Warning, output, error)).CreateLogger();

        logger.Information("kept for output");
        logger.Warning("a warning");
        logger.Error("an error");
        logger.Dispose();

        Assert.Equal("INF kept for output\n", Encoding.UTF8.GetString(output.ToArray()).ReplaceLineEndings("\n"));
        Assert.Equal("WRN a warning\nERR an error\n", Encoding.UTF8.GetString(error.ToArray()).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Line_LoggedAfterTheSinkClosed_IsStillWritten()
    {
        var output = new MemoryStream();
        var sink = new BatchedConsoleSink(Format, null, output, new MemoryStream());
        var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        sink.Dispose();
        logger.Information("late line");

        Assert.Equal("INF late line\n", Encoding.UTF8.GetString(output.ToArray()).ReplaceLineEndings("\n"));
    }
}
