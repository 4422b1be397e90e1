using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>Every event a test node logs, as Serilog hands it to its sinks.</summary>
public sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public IReadOnlyCollection<LogEvent> Events => events;

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    /// <summary>
    /// The request lines of a method and path, waited for (up to 5 s for the first): a request is logged
    /// just after its response has gone.
    /// </summary>
    public async Task<IReadOnlyList<LogEvent>> RequestLinesAsync(string method, string path)
    {
        for (var i = 0; ; i++)
        {
            var lines = events.Where(e => Text(e, "SourceContext") == "Serilog.AspNetCore.RequestLoggingMiddleware"
                && Text(e, "RequestMethod") == method && Text(e, "RequestPath") == path).ToList();
            if (lines.Count > 0 || i == 100)
                return lines;
            await Task.Delay(50);
        }
    }

    public static string? Text(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: var scalar } ? scalar?.ToString() : null;
}
