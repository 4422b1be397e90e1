using System.Diagnostics;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// One log line per request with the status the client really got and the time it took; a request
/// that threw is logged as 500 here, not as the 200 the response object still holds.
/// </summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsed = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            var level = status >= 500 ? LogLevel.Error : LogLevel.Information;
            logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs} ms",
                context.Request.Method, context.Request.Path.Value, status, elapsed);
        }
    }
}
