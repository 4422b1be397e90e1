using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

/// <summary>Open data in bulk: the whole published archive in one file per format.</summary>
[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class DataController(
    [FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, IOptions<RegistryOptions> options) : Controller
{
    [HttpGet("/data/archive.csv.gz")]
    public Task<IActionResult> ArchiveCsv(CancellationToken cancellationToken) => ArchiveAsync(ArchiveDownload.Csv, cancellationToken);

    [HttpGet("/data/archive.jsonl.gz")]
    public Task<IActionResult> ArchiveJsonLines(CancellationToken cancellationToken) => ArchiveAsync(ArchiveDownload.JsonLines, cancellationToken);

    [HttpGet("/data/releases.json")]
    public async Task<IActionResult> Releases(CancellationToken cancellationToken) =>
        Json(await ReleasesQuery.LoadAsync(dataSource, HttpContext, options.Value.ExclusionWeeks, cancellationToken), PublicJson.Options);

    private async Task<IActionResult> ArchiveAsync(string format, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        return new ArchiveDownload(dataSource, facts, format, options.Value.ExclusionWeeks);
    }
}
