using Ashyq.Registry.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Features.About;

public sealed record AboutModel(int ExclusionWeeks);

public sealed class AboutController(IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/about")]
    public IActionResult Index() => View(new AboutModel(options.Value.ExclusionWeeks));
}
