using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Exports;
using Microsoft.EntityFrameworkCore;

namespace Ashyq.Registry.Web.Features.Business;

/// <summary>A business as one published week listed it.</summary>
public sealed record BusinessWeek(
    DateOnly WeekStart, DateTimeOffset PublishedAt, string Name, string CategoryCode, string? DistrictCode, string? Address,
    DateOnly? JoinedOn, int Scans, int FlaggedVisitors, string Status, string? Reason, string? ExclusionSource);

/// <summary>What happened to a business in a week: first listed, excluded, readmitted or another change of status.</summary>
public sealed record BusinessEvent(BusinessWeek Week, string Kind, string? PreviousStatus)
{
    public const string Listed = "listed";
    public const string Excluded = "excluded";
    public const string Readmitted = "readmitted";
    public const string Changed = "changed";
}

/// <summary>Every published week that lists a business, newest first; the first is its current status.</summary>
public sealed record BusinessHistory(string Bin, IReadOnlyList<BusinessWeek> Weeks)
{
    public BusinessWeek Current => Weeks[0];

    /// <summary>The changes of status, newest first. A week that lists it excluded after another status is an exclusion; the reverse a readmission.</summary>
    public IReadOnlyList<BusinessEvent> Events()
    {
        var events = new List<BusinessEvent>();
        BusinessWeek? before = null;
        foreach (var week in Weeks.Reverse())
        {
            if (before is null)
                events.Add(new BusinessEvent(week, week.Status == "excluded" ? BusinessEvent.Excluded : BusinessEvent.Listed, null));
            else if (week.Status != before.Status)
            {
                var kind = week.Status == "excluded" ? BusinessEvent.Excluded
                    : before.Status == "excluded" ? BusinessEvent.Readmitted
                    : BusinessEvent.Changed;
                events.Add(new BusinessEvent(week, kind, before.Status));
            }
            before = week;
        }
        events.Reverse();
        return events;
    }
}

public static class BusinessQuery
{
    /// <summary>
    /// A BIN as typed: spaces are dropped; it must then be 12 digits with a valid check digit.
    /// </summary>
    public static bool TryNormalizeBin(string? text, out string bin)
    {
        bin = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        return Bin.IsValid(bin);
    }

    /// <summary>The business's published history, or null when no published week lists it.</summary>
    public static async Task<BusinessHistory?> FindAsync(RegistryDbContext db, string bin, CancellationToken cancellationToken)
    {
        var weeks = await (
            from r in db.WeekRows.AsNoTracking()
            join w in db.Weeks.AsNoTracking() on r.WeekStart equals w.WeekStart
            where r.Bin == bin && w.Status == "published"
            orderby r.WeekStart descending
            select new BusinessWeek(
                r.WeekStart, w.PublishedAt!.Value, r.Name, r.CategoryCode, r.DistrictCode, r.Address, r.JoinedOn,
                r.Scans, r.FlaggedVisitors, r.Status, r.Reason, r.ExclusionSource))
            .ToListAsync(cancellationToken);
        return weeks.Count == 0 ? null : new BusinessHistory(bin, weeks);
    }
}
