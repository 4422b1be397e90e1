using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace Ashyq.Registry.Web.Features.Privacy;

/// <summary>What the registry publishes about a business, what it hides of an individual's IIN, and why.</summary>
[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class PrivacyController : Controller
{
    [HttpGet("/privacy")]
    public IActionResult Index() => View();
}
