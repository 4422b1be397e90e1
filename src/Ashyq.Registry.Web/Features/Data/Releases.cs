using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Data;

public sealed record ReleaseFile(string Url, long Size, string Sha256);

/// <summary>
/// A week as it was released: when it was published (and withdrawn, and why), the SHA-256 of the file
/// the ministry sent, each of its list downloads with the size and SHA-256 of what that address gives, and
/// its deltas against <see cref="DeltaAgainst"/> (none for the first published week, nor a withdrawn one).
/// </summary>
public sealed record Release(
    string Week, DateTimeOffset? PublishedAt, DateTimeOffset? WithdrawnAt, string? WithdrawReason, string SourceSha256,
    IReadOnlyList<ReleaseFile> Downloads, string? DeltaAgainst, IReadOnlyList<ReleaseFile> Deltas);

public sealed record ReleasesDocument(string Version, IReadOnlyList<Release> Releases);

public static class ReleasesQuery
{
    private static readonly ListKind[] Kinds = [ListKind.Leaders, ListKind.Outsiders, ListKind.Excluded];
    private static readonly string[] Formats = ["csv", "xlsx", "json"];

    /// <summary>
    /// Every published or withdrawn week, newest first. A published week's downloads are written out here
    /// exactly as their addresses (which name the language) write them, into a hash, never into memory whole;
    /// its deltas are the stored files of this version (<paramref name="delta"/> gives each, writing it if need be).
    /// </summary>
    public static async Task<ReleasesDocument> LoadAsync(
        NpgsqlDataSource dataSource, IServiceProvider services, string site, string version, int exclusionWeeks,
        Func<DateOnly, DateOnly, string, Task<StoredFile>> delta, CancellationToken cancellationToken)
    {
        var weeks = new List<(DateOnly Week, string Status, DateTimeOffset? PublishedAt, DateTimeOffset? WithdrawnAt, string? Reason, string Sha)>();
        await using (var command = dataSource.CreateCommand($"""
            SELECT week_start, status, published_at, withdrawn_at, withdraw_reason, source_sha256
            FROM weeks WHERE status IN ('{WeekStatuses.Published}', '{WeekStatuses.Withdrawn}') ORDER BY week_start DESC
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                weeks.Add((reader.GetFieldValue<DateOnly>(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5).Trim()));
            }
        }

        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var language = Languages.Current;
        var releases = new List<Release>(weeks.Count);
        foreach (var week in weeks)
        {
            var downloads = new List<ReleaseFile>();
            var deltas = new List<ReleaseFile>();
            var previous = week.Status == WeekStatuses.Published ? facts.Before(week.Week) : null;
            if (week.Status == WeekStatuses.Published)
            {
                foreach (var kind in Kinds)
                {
                    foreach (var format in Formats)
                    {
                        var url = $"/lists/{kind.Code()}.{format}?week={WeekDates.ToText(week.Week)}&{Languages.QueryKey}={language}";
                        var download = new ListDownload(dataSource, new ListFilter(week.Week, kind), facts, format, exclusionWeeks);
                        downloads.Add(await MeasureAsync(url, download, services, site, cancellationToken));
                    }
                }
                if (previous is not null)
                {
                    foreach (var format in new[] { WeekDelta.Csv, WeekDelta.Json })
                    {
                        var file = await delta(week.Week, previous.WeekStart, format);
                        var url = $"/data/deltas/{WeekDates.ToText(week.Week)}.{format}" + (format == WeekDelta.Csv ? $"?{Languages.QueryKey}={language}" : "");
                        deltas.Add(new ReleaseFile(url, file.Size, file.Sha256));
                    }
                }
            }
            releases.Add(new Release(
                WeekDates.ToText(week.Week), week.PublishedAt, week.WithdrawnAt, week.Reason, week.Sha, downloads,
                previous is null ? null : WeekDates.ToText(previous.WeekStart), deltas));
        }
        return new ReleasesDocument(version, releases);
    }

    private static async Task<ReleaseFile> MeasureAsync(
        string url, ListDownload download, IServiceProvider services, string site, CancellationToken cancellationToken)
    {
        await using var hash = new HashingStream();
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        // As if asked at the site's address, which the XLSX names: so the hash is of what that address answers.
        var address = new Uri(site);
        context.Request.Scheme = address.Scheme;
        context.Request.Host = new HostString(address.Authority);
        context.Request.PathBase = new PathString(address.AbsolutePath.TrimEnd('/'));
        context.Response.Body = hash;
        await download.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return new ReleaseFile(url, hash.Length, Convert.ToHexStringLower(hash.Finish()));
    }
}
