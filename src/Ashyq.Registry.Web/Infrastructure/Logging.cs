using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Sinks.Async;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>Settings of the console log, read from the "Serilog" section beside Serilog's own levels.</summary>
public sealed class ConsoleLogOptions
{
    public const string Section = "Serilog";

    /// <summary>"json": one compact JSON object a line, for a log collector; "text": readable lines for a terminal.</summary>
    [RegularExpression("(?i)json|text", ErrorMessage = "Serilog:ConsoleFormat must be \"json\" or \"text\".")]
    public string ConsoleFormat { get; set; } = "text";

    /// <summary>Log events that may wait for the console; the site drops (and counts) those beyond it.</summary>
    [Range(100, 1_000_000)]
    public int ConsoleBufferSize { get; set; } = 10_000;

    public bool IsJson => string.Equals(ConsoleFormat, "json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Serilog for the site and the verbs: levels from configuration, the console written from a thread of
/// its own (a request never waits on it), and one line per request from Serilog's request logging.
/// </summary>
public static class Logging
{
    public const string TextTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>The request line. Elapsed is rounded when shown; the JSON keeps the exact figure.</summary>
    public const string RequestTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    /// <param name="forVerb">
    /// Every line goes to standard error, so that standard output carries the verb's own result only, and
    /// a full buffer makes the verb wait instead of losing lines: nobody is waiting on a verb's answer.
    /// </param>
    public static WebApplicationBuilder AddRegistryLogging(this WebApplicationBuilder builder, bool forVerb)
    {
        builder.Services.AddOptions<ConsoleLogOptions>()
            .Bind(builder.Configuration.GetSection(ConsoleLogOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ConsoleLogBuffer>();
        builder.Services.AddHostedService<DroppedLogReporter>();

        builder.Logging.ClearProviders();
        var configuration = builder.Configuration;
        // The site's own logger, not the static one: several hosts in one process (the tests) keep theirs.
        builder.Services.AddSerilog((services, logger) =>
        {
            var options = services.GetRequiredService<IOptions<ConsoleLogOptions>>().Value;
            ITextFormatter format = options.IsJson ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(TextTemplate);
            LogEventLevel? standardErrorFrom = forVerb ? LevelAlias.Minimum : null;
            logger.ReadFrom.Configuration(configuration)
                // Sinks registered in the container receive every event too; the tests read the log through one.
                .ReadFrom.Services(services)
                .WriteTo.Async(
                    console => console.Console(format, standardErrorFromLevel: standardErrorFrom),
                    bufferSize: options.ConsoleBufferSize,
                    blockWhenFull: forVerb,
                    monitor: services.GetRequiredService<ConsoleLogBuffer>());
        }, preserveStaticLogger: true);

        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((options, logger) =>
        {
            options.Logger = logger;
            options.MessageTemplate = RequestTemplate;
        });
        return builder;
    }

    /// <summary>One line per request with method, path, status and time; a request that threw is logged as 500.</summary>
    /// <summary>
    /// One line a request. The job dashboard's pages poll every few seconds while a staff member has one
    /// open; their lines go at Debug, so that they do not bury the site's own requests (a failure there is
    /// still an Error).
    /// </summary>
    public static IApplicationBuilder UseRegistryRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options => options.GetLevel = RequestLevel);

    public static LogEventLevel RequestLevel(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
        : Features.Staff.Jobs.JobsDashboard.IsDashboard(context.Request) ? LogEventLevel.Debug
        : LogEventLevel.Information;
}

/// <summary>How many log events the console's buffer has dropped, as the asynchronous sink counts them.</summary>
public sealed class ConsoleLogBuffer : IAsyncLogEventSinkMonitor
{
    private volatile IAsyncLogEventSinkInspector? inspector;

    public long Dropped => inspector?.DroppedMessagesCount ?? 0;

    public bool IsFull => inspector is { } buffer && buffer.Count >= buffer.BufferSize;

    void IAsyncLogEventSinkMonitor.StartMonitoring(IAsyncLogEventSinkInspector inspector) => this.inspector = inspector;

    // The count stays readable after the logger closes, for the last report.
    void IAsyncLogEventSinkMonitor.StopMonitoring(IAsyncLogEventSinkInspector inspector) { }
}

/// <summary>
/// Says in the log, every few seconds, how many events the console's buffer dropped since the last
/// report, so that a gap in the log is never silent.
/// </summary>
public sealed class DroppedLogReporter(ConsoleLogBuffer buffer, ILogger<DroppedLogReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long reported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Report();
        }
        catch (OperationCanceledException)
        {
            Report();
        }
    }

    /// <summary>
    /// Logs the events dropped since the last report, once the buffer has room for the warning; returns
    /// how many that was (0 when nothing was said).
    /// </summary>
    public long Report()
    {
        var dropped = buffer.Dropped;
        var since = dropped - reported;
        if (since <= 0 || buffer.IsFull)
            return 0;
        logger.LogWarning("{Dropped} log events were dropped because the console took them more slowly than they came ({Total} since the start)",
            since, dropped);
        // When the buffer filled again meanwhile, the warning itself may have been dropped: it is said again next time.
        if (buffer.Dropped == dropped)
            reported = dropped;
        return since;
    }
}
