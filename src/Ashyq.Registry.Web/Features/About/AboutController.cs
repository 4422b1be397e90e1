using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.About;

public sealed record AboutModel(int ExclusionWeeks);

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class AboutController(IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/about")]
    public IActionResult Index() => View(new AboutModel(options.Value.ExclusionWeeks));
}
