using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Business;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Feeds;

/// <summary>Atom feeds for people who want to hear when something changes: every published week, or one business.</summary>
[OutputCache(PolicyName = PublicOutputCache.PolicyName)]
public sealed class FeedsController([FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, Texts texts, IOptions<RegistryOptions> options, SiteTime time,
    IOptions<FollowOptions> follow) : Controller
{
    private const string AtomType = "application/atom+xml; charset=utf-8";

    [HttpGet("/feed.atom")]
    [ApiExplorerSettings(IgnoreApi = false)]
    [Tags("feeds")]
    [EndpointName("weeksFeed")]
    [EndpointSummary("An Atom feed of the published weeks, with an entry that stays when a week is withdrawn or corrected")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<IActionResult> Weeks(CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts);
        var site = SiteAddress();
        var replaced = await LatestReplacementsAsync(cancellationToken);
        // A replaced week keeps its entry's id and is updated to say it was corrected and why, so that a
        // reader who saw the first version hears of the second.
        var entries = facts.Weeks.Select(w =>
        {
            var summary = texts.Format("feed.week.summary", Wording.Number(w.Participants), Wording.Number(w.Leaders), Wording.Number(w.Outsiders),
                Wording.Number(w.Excluded), Wording.Number(w.ExcludedByRule), w.FlaggedVisitors is { } flagged ? Wording.Number(flagged) : texts["feed.week.notReported"],
                Wording.RuleName(texts, options.Value.ExclusionWeeks));
            var correction = replaced.GetValueOrDefault(w.WeekStart);
            return new AtomEntry(
                InLanguage($"{site}/changes?week={w.Key}"),
                texts.Format(correction is null ? "feed.week.title" : "feed.week.replacedTitle", Wording.WeekRange(w.WeekStart)),
                correction is null ? summary : texts.Format("feed.week.replaced", time.Moment(correction.Value.At), correction.Value.Reason) + " " + summary,
                InLanguage($"{site}/changes?week={w.Key}"),
                w.PublishedAt);
        }).ToList();
        // A withdrawn week keeps its entry, updated to say so, so that a reader who saw it published hears it is gone.
        entries.AddRange(facts.Withdrawn.Select(w => new AtomEntry(
            InLanguage($"{site}/changes?week={w.Key}"),
            texts.Format("feed.week.withdrawnTitle", Wording.WeekRange(w.WeekStart)),
            texts.Format("week.withdrawn.problem", Wording.WeekRange(w.WeekStart), time.Moment(w.WithdrawnAt), w.Reason),
            InLanguage($"{site}/corrections"),
            w.WithdrawnAt)));
        var self = InLanguage($"{site}/feed.atom");
        var xml = AtomFeed.Write(self, texts["site.name"], texts["feed.author"], self, InLanguage(site + "/"), Languages.Current, entries);
        return File(xml, AtomType);
    }

    [HttpGet("/business/{bin}/feed.atom")]
    [ApiExplorerSettings(IgnoreApi = false)]
    [Tags("feeds")]
    [EndpointName("businessFeed")]
    [EndpointSummary("An Atom feed of one business's changes of status")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status301MovedPermanently)]
    [ProducesResponseType(StatusCodes.Status400BadRequest)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Business(
        [System.ComponentModel.Description("The business's public identifier, or its BIN")] string bin, CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(dataSource, bin, cancellationToken);
        switch (lookup.Outcome)
        {
            case BusinessLookupOutcome.Malformed:
                return BadRequest();
            case BusinessLookupOutcome.Moved:
                return RedirectPermanent($"/business/{lookup.Id}/feed.atom");
        }
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(dataSource, lookup, cancellationToken) : null;
        if (history is null)
            return NotFound();
        // Conditional GET as the business's page answers it: the last publication or withdrawal, or the business's last reply or review decision.
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        this.ShowsPublishedData(facts, history.StatementsChangedAt);

        var site = SiteAddress();
        var page = $"{site}/business/{history.Id}";
        var name = history.Profile.Name;
        var entries = history.Events().Select(e => new AtomEntry(
            InLanguage($"{page}#week-{WeekDates.ToText(e.Week.WeekStart)}"),
            texts.Format("feed.business.title", name, Wording.Status(texts, e.Week.Status), Wording.WeekRange(e.Week.WeekStart)),
            Summary(e),
            InLanguage(page),
            e.Week.PublishedAt)).ToList();
        // A published reply is an entry of its own, in the business's words, said to be unverified.
        entries.AddRange(history.Replies.Select(r => new AtomEntry(
            InLanguage($"{page}#reply-{r.Id}"),
            texts.Format("feed.business.replyTitle", name, Wording.WeekRange(r.WeekStart)),
            texts.Format("feed.business.replySummary", r.AuthorName, r.AuthorRole, r.Statement),
            InLanguage($"{page}#reply-{r.Id}"),
            r.PublishedAt)));
        if (history.UnderReviewSince is { } reviewed)
            entries.Add(new AtomEntry(InLanguage($"{page}#review-{reviewed.ToUnixTimeSeconds()}"),
                texts.Format("feed.business.reviewTitle", name, Wording.WeekRange(history.Current.WeekStart)),
                texts.Format("business.underReview", time.Moment(reviewed)), InLanguage(page), reviewed));
        entries.Sort((a, b) => b.Updated.CompareTo(a.Updated));
        var businessSelf = InLanguage($"{page}/feed.atom");
        var xml = AtomFeed.Write(businessSelf, texts.Format("feed.business.feedTitle", name), texts["feed.author"], businessSelf, InLanguage(page), Languages.Current, entries);
        return File(xml, AtomType);
    }

    [HttpGet("/category/{code}/feed.atom")]
    public Task<IActionResult> Category(string code, CancellationToken cancellationToken) => Group(FollowKinds.Category, code, cancellationToken);

    [HttpGet("/district/{code}/feed.atom")]
    public Task<IActionResult> District(string code, CancellationToken cancellationToken) => Group(FollowKinds.District, code, cancellationToken);

    /// <summary>A category's or district's published weeks: its counts against the week before, and who entered or left its lists.</summary>
    private async Task<IActionResult> Group(string dimension, string code, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var known = dimension == FollowKinds.Category ? facts.IsCategory(code) : facts.IsDistrict(code);
        if (!known)
            return NotFound();
        this.ShowsPublishedData(facts);
        var language = Languages.Current;
        var name = dimension == FollowKinds.Category ? facts.CategoryName(code, language) : facts.DistrictName(code, language)!;
        var site = SiteAddress();
        var self = InLanguage($"{site}/{dimension}/{code}/feed.atom");
        var entries = new List<AtomEntry>();
        foreach (var week in facts.Weeks.Take(follow.Value.FeedWeeks))
        {
            var change = await FollowChanges.GroupAsync(dataSource, dimension, code, week.WeekStart, facts.Before(week.WeekStart)?.WeekStart,
                follow.Value.NamesPerChange, cancellationToken);
            var summary = string.Join("\n", [
                FollowMailText.Counts.Format(language, change.Now.Participants, change.Before.Participants, change.Now.Leaders, change.Before.Leaders,
                    change.Now.Outsiders, change.Before.Outsiders, change.Now.Excluded, change.Before.Excluded),
                .. change.Moves.Select(m => FollowMailing.MoveLine(m, language))]);
            entries.Add(new AtomEntry(
                InLanguage($"{site}/statistics?week={week.Key}#{dimension}-{code}"),
                texts.Format("feed.group.entryTitle", name, Wording.WeekRange(week.WeekStart)),
                summary,
                InLanguage($"{site}/statistics?week={week.Key}"),
                week.PublishedAt));
        }
        var xml = AtomFeed.Write(self, texts.Format("feed." + dimension + ".feedTitle", name), texts["feed.author"], self, InLanguage($"{site}/statistics"), language, entries);
        return File(xml, AtomType);
    }

    private string Summary(BusinessEvent change)
    {
        var summary = texts["feed.event." + change.Kind];
        if (change.PreviousStatus is { } before)
            summary += " " + texts.Format("feed.event.before", Wording.Status(texts, before));
        if (Wording.Reason(texts, change.Week.Reason, change.Week.ExclusionSource, options.Value.ExclusionWeeks) is { } reason)
            summary += " " + texts["common.reason"] + ": " + reason;
        return summary;
    }

    /// <summary>For each published week that was replaced, its latest replacement: when, and the reason staff gave.</summary>
    private async Task<Dictionary<DateOnly, (DateTimeOffset At, string Reason)?>> LatestReplacementsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT DISTINCT ON (v.week_start) v.week_start, v.replaced_at, v.reason
            FROM week_versions v JOIN weeks w ON w.week_start = v.week_start AND w.status = '{WeekStatuses.Published}'
            ORDER BY v.week_start, v.replaced_at DESC, v.id DESC
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var replaced = new Dictionary<DateOnly, (DateTimeOffset At, string Reason)?>();
        while (await reader.ReadAsync(cancellationToken))
            replaced[reader.GetFieldValue<DateOnly>(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2));
        return replaced;
    }

    /// <summary>
    /// An address in this feed's language. The Russian feed, the site's default, keeps its addresses as they
    /// always were; the Kazakh and English feeds name their language (<c>?lang=kk</c>), so that each is a feed
    /// of its own: its own id and self link, and entries a reader does not take for the Russian ones.
    /// </summary>
    private static string InLanguage(string address)
    {
        var language = Languages.Current;
        if (language == Languages.Russian)
            return address;
        var hash = address.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (address, "") : (address[..hash], address[hash..]);
        return path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Languages.QueryKey + "=" + language + fragment;
    }

    // The configured public address, not the client's Host: a feed is cached and handed to everyone.
    private string SiteAddress() => HttpContext.SiteAddress();
}
