using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>
/// Endpoints that exist only in test hosts built with probes: pages under the public cache policy
/// that tell one rendering from another, and requests that really fail.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ProbeController(Texts texts, RegistryDbContext db) : Controller
{
    public const string SecretDetail = "probe failure: connection password=hunter2";

    [HttpGet("testing/cached")]
    [OutputCache(PolicyName = PublicOutputCache.PolicyName)]
    public string Cached() => $"{texts["site.name"]}|{Guid.NewGuid():N}";

    /// <summary>
    /// A cached page whose first rendering of a case registered in <see cref="SlowRenderings"/> signals
    /// that it started and then hangs until its request is aborted, so that other visitors can be made
    /// to arrive while it is in flight.
    /// </summary>
    [HttpGet("testing/cached-slow")]
    [OutputCache(PolicyName = PublicOutputCache.PolicyName)]
    public async Task<string> CachedSlow(string @case)
    {
        if (SlowRenderings.TryGetValue(@case, out var started) && started.TrySetResult())
            await Task.Delay(Timeout.Infinite, HttpContext.RequestAborted);
        return $"rendered for {@case}";
    }

    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> SlowRenderings = new();

    [HttpGet("testing/cached-with-cookie")]
    [OutputCache(PolicyName = PublicOutputCache.PolicyName)]
    public string CachedWithCookie()
    {
        Response.Cookies.Append("visitor", Guid.NewGuid().ToString("N"));
        return Guid.NewGuid().ToString("N");
    }

    [HttpGet("testing/weeks")]
    public async Task<string> Weeks() => $"{await db.Weeks.CountAsync()} weeks";

    [HttpGet("testing/fail")]
    [HttpGet("api/testing/fail")]
    [HttpPost("testing/fail")]
    public IActionResult Fail() => throw new InvalidOperationException($"{SecretDetail} ({Request.Path})");

    [HttpGet("testing/status/{status:int}")]
    public IActionResult Status(int status) => StatusCode(status);
}
