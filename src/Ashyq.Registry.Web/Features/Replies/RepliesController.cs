using System.Globalization;
using System.Threading.RateLimiting;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Business;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ashyq.Registry.Web.Features.Replies;

/// <summary>The reply form's page: the business, the form as sent, and what is wrong with each field.</summary>
public sealed record ReplyPageModel(BusinessHistory History, ReplyForm Form, IReadOnlyDictionary<string, string> Problems, ReplyOptions Options)
{
    public string? Problem(string field) => Problems.TryGetValue(field, out var code) ? code : null;

    /// <summary>What is wrong with the field, in the page's language.</summary>
    public string Message(Texts texts, string field) =>
        texts.Format("replies.error." + Problem(field), field == nameof(ReplyForm.Statement) ? Options.MaxStatementCharacters : Options.MaxFieldCharacters);
}

public sealed record ReplySentModel(string Id, string Name);

public sealed record ReplyLimitModel(string Id, int RetryAfterSeconds);

/// <summary>
/// A business's right to reply: anyone speaking for it may send a statement about one of its published
/// weeks, which staff read before anything is shown. The form lives on a page of its own, not on the
/// business page: its anti-forgery token is one visitor's, and the business page is cached for everyone.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class RepliesController(
    [FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource reads, NpgsqlDataSource dataSource,
    IOptions<ReplyOptions> options, ReplyAttempts attempts) : Controller
{
    [HttpGet("/business/{bin}/reply")]
    public async Task<IActionResult> New(string bin, CancellationToken cancellationToken)
    {
        var (_, history, other) = await FindAsync(bin, "reply", cancellationToken);
        if (history is null)
            return other!;
        return View(new ReplyPageModel(history, new ReplyForm { Week = WeekDates.ToText(history.Current.WeekStart) },
            new Dictionary<string, string>(), options.Value));
    }

    [HttpPost("/business/{bin}/reply")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Send(string bin, [FromForm] ReplyForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        using (var lease = attempts.Attempt(HttpContext))
        {
            if (!lease.IsAcquired)
            {
                var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : options.Value.WindowSeconds;
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var limited = View("TooMany", new ReplyLimitModel(bin, seconds));
                limited.StatusCode = StatusCodes.Status429TooManyRequests;
                return limited;
            }
        }
        var (lookup, history, other) = await FindAsync(bin, "reply", cancellationToken);
        if (history is null)
            return other!;
        var sent = $"/business/{history.Id}/reply/sent";
        // A filled honeypot is a program: it is told what a person would be told, and nothing is kept.
        if (!string.IsNullOrEmpty(form.Website))
            return Redirect(sent);

        var problems = form.Validate(options.Value, [.. history.Weeks.Select(w => w.WeekStart)]);
        if (problems.Count > 0 || !WeekDates.TryParse(form.Week, out var week))
        {
            var page = View("New", new ReplyPageModel(history, form, problems, options.Value));
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO business_replies (bin, week_start, author_name, author_role, contact_email, statement, language)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = lookup.Bin, NpgsqlDbType = NpgsqlDbType.Char });
        command.Parameters.Add(new() { Value = week });
        command.Parameters.Add(new() { Value = ReplyForm.Clean(form.Name!, multiline: false) });
        command.Parameters.Add(new() { Value = ReplyForm.Clean(form.Role!, multiline: false) });
        command.Parameters.Add(new() { Value = ReplyForm.Clean(form.Email!, multiline: false) });
        command.Parameters.Add(new() { Value = ReplyForm.Clean(form.Statement!, multiline: true) });
        command.Parameters.Add(new() { Value = Languages.Current });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return Redirect(sent);
    }

    [HttpGet("/business/{bin}/reply/sent")]
    public async Task<IActionResult> Sent(string bin, CancellationToken cancellationToken)
    {
        var (_, history, other) = await FindAsync(bin, "reply/sent", cancellationToken);
        if (history is null)
            return other!;
        return View(new ReplySentModel(history.Id, history.Profile.Name));
    }

    /// <summary>The business the address names, or the answer for one it does not: 400, 404, or its own address.</summary>
    private async Task<(BusinessLookup Lookup, BusinessHistory? History, IActionResult? Other)> FindAsync(string bin, string page, CancellationToken cancellationToken)
    {
        var lookup = await BusinessQuery.LookupAsync(reads, bin, cancellationToken);
        switch (lookup.Outcome)
        {
            case BusinessLookupOutcome.Malformed:
                return (lookup, null, StatusView("MalformedBin", new BusinessNotFoundModel(bin), StatusCodes.Status400BadRequest));
            case BusinessLookupOutcome.Moved:
                return (lookup, null, HttpMethods.IsGet(Request.Method)
                    ? RedirectPermanent($"/business/{lookup.Id}/{page}")
                    : RedirectPermanentPreserveMethod($"/business/{lookup.Id}/{page}"));
        }
        var history = lookup.Outcome == BusinessLookupOutcome.Found ? await BusinessQuery.FindAsync(reads, lookup, cancellationToken) : null;
        return history is null
            ? (lookup, null, StatusView("UnknownBin", new BusinessNotFoundModel(lookup.Shown), StatusCodes.Status404NotFound))
            : (lookup, history, null);
    }

    private ViewResult StatusView(string name, object model, int statusCode)
    {
        var view = View("~/Features/Business/" + name + ".cshtml", model);
        view.StatusCode = statusCode;
        return view;
    }
}
