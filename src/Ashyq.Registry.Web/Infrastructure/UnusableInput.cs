using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Web.Infrastructure;

/// <summary>
/// Refuses, with 400 and the site's own error page (problem+json under /api), a request whose address,
/// query or posted form holds a character no page can use: NUL (PostgreSQL refuses it in text), another
/// control character, a surrogate without its pair. Checked once here, so that no controller, query or
/// feed has to. The one exception is the form of a business's reply
/// (<see cref="Features.Replies.ReplyForm.IsSentTo"/>): it says which field holds such a character, in the
/// reader's language, with the form refilled, and stores nothing either.
/// </summary>
public sealed class UnusableInputMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!await IsUsableAsync(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        await next(context);
    }

    private static async Task<bool> IsUsableAsync(HttpRequest request)
    {
        if (TextNormalizer.HasUnsafeCharacters(request.Path.Value) || !AreUsable(request.Query))
            return false;
        // Only a urlencoded form is read here (MVC reads it anyway); an upload streams and is left alone.
        if (request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            && !Features.Replies.ReplyForm.IsSentTo(request))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException)
            {
                return false;
            }
            return AreUsable(form);
        }
        return true;
    }

    private static bool AreUsable(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> pairs)
    {
        foreach (var (key, values) in pairs)
        {
            if (TextNormalizer.HasUnsafeCharacters(key))
                return false;
            foreach (var value in values)
            {
                if (value is not null && TextNormalizer.HasUnsafeCharacters(value))
                    return false;
            }
        }
        return true;
    }
}
