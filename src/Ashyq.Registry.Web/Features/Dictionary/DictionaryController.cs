using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Dictionary;

public sealed record DictionaryPageModel(PublicFacts Facts, int ExclusionWeeks, string? ContactEmail);

/// <summary>The data dictionary: every field of the downloads and the API, the codes and their names, the licence.</summary>
[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class DictionaryController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/data")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts);
        return View(new DictionaryPageModel(facts, options.Value.ExclusionWeeks, string.IsNullOrWhiteSpace(options.Value.ContactEmail) ? null : options.Value.ContactEmail));
    }
}
