using Ashyq.Registry.Web.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>The console's buffer: what a site does when the console cannot keep up, and the settings that size it.</summary>
public sealed class ConsoleLogTests
{
    [Fact]
    public void Buffer_Full_DropsTheEventsThatDoNotFit_AndTheReporterSaysHowManyOnceThereIsRoom()
    {
        var buffer = new ConsoleLogBuffer();
        using var stuck = new StuckSink();
        var logger = new LoggerConfiguration()
            .WriteTo.Async(a => a.Sink(stuck), bufferSize: 1, blockWhenFull: false, monitor: buffer)
            .CreateLogger();
        var reported = new CapturedLog();
        using var factory = new SerilogLoggerFactory(new LoggerConfiguration().WriteTo.Sink(reported).CreateLogger(), dispose: true);
        var reporter = new DroppedLogReporter(buffer, factory.CreateLogger<DroppedLogReporter>());

        // The console takes the first event and hangs; one more waits in the buffer; the other eight find no room.
        logger.Information("first");
        Assert.True(stuck.Entered.Wait(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 9; i++)
            logger.Information("line {Line}", i);

        Assert.Equal(8, buffer.Dropped);
        // A warning logged into a full buffer would be dropped too: it waits for room.
        Assert.Equal(0, reporter.Report());
        stuck.Release.Set();
        for (var i = 0; i < 200 && stuck.Written < 2; i++)
            Thread.Sleep(50);
        Assert.Equal(2, stuck.Written);
        Assert.Equal(8, reporter.Report());
        Assert.Equal(0, reporter.Report());
        var warning = Assert.Single(reported.Events);
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Equal("8", CapturedLog.Text(warning, "Dropped"));
        logger.Dispose();
    }

    [Theory]
    [InlineData("Serilog:ConsoleFormat", "xml")]
    [InlineData("Serilog:ConsoleBufferSize", "0")]
    public void Setting_OutOfRange_StopsStartUpNamingIt(string setting, string value)
    {
        using var node = new RegistryNode("Host=127.0.0.1;Database=unused", new Dictionary<string, string?> { [setting] = value });

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => node.CreateClient());

        Assert.Contains(setting.Split(':')[1], failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A console that hangs on its first event until released.</summary>
    private sealed class StuckSink : ILogEventSink, IDisposable
    {
        private int written;

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public int Written => Volatile.Read(ref written);

        public void Emit(LogEvent logEvent)
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref written);
        }

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }
}
