using System.Globalization;
using System.Text.RegularExpressions;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Corrections;

/// <summary>
/// One change to figures the public had already been shown: a week withdrawn (with the figures it had
/// and the reason), or a category alias added or removed, which re-maps stored rows to another category.
/// </summary>
public sealed record Correction(
    DateTimeOffset At, string Kind, DateOnly? Week, string? Reason, WeekFigures? Figures, bool Republished,
    string? Alias, string? CategoryCode, int? Rows, int? Weeks)
{
    /// <summary>A replacement's figures once the new version was published (<see cref="Figures"/> are the replaced version's).</summary>
    public WeekFigures? FiguresAfter { get; init; }

    public const string Withdrawal = "withdrawal";
    public const string Replacement = "replacement";
    public const string AliasAdded = "alias-added";
    public const string AliasRemoved = "alias-removed";
}

public sealed record WeekFigures(int Participants, int Leaders, int Outsiders, int Excluded);

public sealed record CorrectionsModel(IReadOnlyList<Correction> Corrections, PublicFacts Facts);

/// <summary>
/// Reads the corrections from the audit log, where every withdrawal and alias change is written with the
/// change itself, and the replaced versions of weeks from <c>week_versions</c>, with their figures before and after.
/// </summary>
public static partial class CorrectionsQuery
{
    public const int Limit = 500;

    public static async Task<IReadOnlyList<Correction>> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.at, a.action, a.subject, a.details, w.status, w.participants, w.leaders, w.outsiders, w.excluded
            FROM audit_log a
            LEFT JOIN weeks w ON a.action = 'week.withdraw'
                AND w.week_start = CASE WHEN a.subject ~ '^\d{4}-\d{2}-\d{2}$' THEN a.subject::date END
            WHERE a.action = 'week.withdraw'
               OR (a.action IN ('alias.add', 'alias.remove') AND coalesce(a.details, '') !~ '^0 stored rows')
            ORDER BY a.at DESC, a.id DESC
            LIMIT $1
            """);
        command.Parameters.Add(new() { Value = Limit });
        var corrections = new List<Correction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = reader.GetFieldValue<DateTimeOffset>(0);
            var action = reader.GetString(1);
            var subject = reader.IsDBNull(2) ? "" : reader.GetString(2);
            var details = reader.IsDBNull(3) ? null : reader.GetString(3);
            if (action == "week.withdraw")
            {
                DateOnly? week = WeekDates.TryParse(subject, out var start) ? start : null;
                var figures = reader.IsDBNull(4) ? null
                    : new WeekFigures(reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8));
                var republished = !reader.IsDBNull(4) && reader.GetString(4) == "published";
                corrections.Add(new Correction(at, Correction.Withdrawal, week, details, figures, republished, null, null, null, null));
                continue;
            }
            var alias = AliasSubject().Match(subject);
            var moved = details is null ? Match.Empty : AliasDetails().Match(details);
            corrections.Add(new Correction(
                at, action == "alias.add" ? Correction.AliasAdded : Correction.AliasRemoved, null, null, null, false,
                alias.Success ? alias.Groups[1].Value : subject, alias.Success ? alias.Groups[2].Value : null,
                moved.Success ? int.Parse(moved.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                moved.Success ? int.Parse(moved.Groups[2].Value, CultureInfo.InvariantCulture) : null));
        }
        corrections.AddRange(await ReplacementsAsync(dataSource, cancellationToken));
        return [.. corrections.OrderByDescending(c => c.At).Take(Limit)];
    }

    private static async Task<IReadOnlyList<Correction>> ReplacementsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT replaced_at, week_start, reason, participants_before, leaders_before, outsiders_before, excluded_before,
                   participants_after, leaders_after, outsiders_after, excluded_after
            FROM week_versions ORDER BY replaced_at DESC, id DESC LIMIT $1
            """);
        command.Parameters.Add(new() { Value = Limit });
        var replacements = new List<Correction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            replacements.Add(new Correction(reader.GetFieldValue<DateTimeOffset>(0), Correction.Replacement, reader.GetFieldValue<DateOnly>(1),
                reader.GetString(2), new WeekFigures(reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)),
                false, null, null, null, null)
            {
                FiguresAfter = new WeekFigures(reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)),
            });
        }
        return replacements;
    }

    // As AliasRemap writes them: alias "текст" → code, and "N stored rows re-mapped in M weeks".
    [GeneratedRegex("^alias \"(.*)\" → (\\S+)$")]
    private static partial Regex AliasSubject();

    [GeneratedRegex("^(\\d+) stored rows re-mapped in (\\d+) weeks$")]
    private static partial Regex AliasDetails();
}

[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class CorrectionsController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource) : Controller
{
    [HttpGet("/corrections")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var corrections = await CorrectionsQuery.LoadAsync(dataSource, cancellationToken);
        return View(new CorrectionsModel(corrections, facts));
    }
}
