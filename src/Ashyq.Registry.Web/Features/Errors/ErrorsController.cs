using System.Globalization;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.Errors;

/// <summary>
/// The page a failed request ends on. Reached by re-execution (an exception or an empty error status)
/// or directly; it never shows what went wrong inside, only what the visitor can do.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorsController(Texts texts, IOptions<ErrorOptions> options) : Controller
{
    [Route(ErrorHandling.ErrorPath + "/{status:int}")]
    public IActionResult Show(int status)
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure is not null)
            status = ErrorHandling.IsDatabaseUnreachable(failure.Error) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        else if (status is < 400 or > 599)
            status = StatusCodes.Status404NotFound;

        Response.StatusCode = status;
        if (status is StatusCodes.Status503ServiceUnavailable)
            Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

        var originalPath = failure?.Path ?? HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? Request.Path.Value;
        var page = ErrorPage.For(status, texts);
        // The original path is already decoded: taken as it is, not decoded again (a path holding "%00"
        // would decode to NUL and fail the error page itself).
        if (originalPath is not null && ErrorHandling.IsApiPath(new PathString(originalPath)))
            return Problem(statusCode: status, title: page.Title, detail: page.Message);
        return View(page);
    }
}

public sealed record ErrorPage(int Status, string Title, string Message)
{
    private static readonly int[] Described = [400, 403, 404, 405, 429, 500, 503];

    public static ErrorPage For(int status, Texts texts)
    {
        var key = Described.Contains(status) ? status.ToString(CultureInfo.InvariantCulture) : status < 500 ? "4xx" : "5xx";
        return new ErrorPage(status, texts[$"errors.{key}.title"], texts[$"errors.{key}.message"]);
    }
}
