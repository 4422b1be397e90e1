using System.Globalization;
using System.Threading.RateLimiting;
using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Web.Features.Business;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Features.Follow;

public sealed record FollowFormModel(PublicFacts Facts, string Kind, string? Business, string? BusinessName, string? Category, string? District,
    string? Email, IReadOnlyList<string> Errors);

public sealed record FollowDoneModel(string Outcome);

public sealed record UnsubscribeModel(long Id, string Token, bool Valid);

/// <summary>
/// Following a business, a category or a district by email, with no account. Offered only where a mail
/// server is set (Smtp:Host); otherwise every address here answers 404 and no page links to it.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[FollowOffered]
public sealed class FollowController(
    [FromKeyedServices(RegistryDataSources.PublicReads)] NpgsqlDataSource dataSource, Follows follows, FollowMailer mailer,
    FollowMailing mailing, FollowRequests requests, IOptions<FollowOptions> options) : Controller
{
    [HttpGet("/follow")]
    public async Task<IActionResult> Index(string? business, string? category, string? district, CancellationToken cancellationToken)
    {
        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var kind = business is not null ? FollowKinds.Business : district is not null ? FollowKinds.District : category is not null ? FollowKinds.Category : FollowKinds.Business;
        string? name = null;
        if (business is not null)
        {
            var lookup = await BusinessQuery.LookupAsync(dataSource, business, cancellationToken);
            if (lookup.Outcome is BusinessLookupOutcome.Found or BusinessLookupOutcome.Moved)
            {
                name = await NameAsync(lookup.Bin, cancellationToken);
                business = lookup.Id;
            }
        }
        return View(new FollowFormModel(facts, kind, business, name, facts.IsCategory(category) ? category : null,
            facts.IsDistrict(district) ? district : null, null, []));
    }

    [HttpPost("/follow")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Subscribe(
        [FromForm] string? email, [FromForm] string? kind, [FromForm] string? business, [FromForm] string? category, [FromForm] string? district,
        CancellationToken cancellationToken)
    {
        using var lease = requests.Attempt(HttpContext);
        if (!lease.IsAcquired)
        {
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View("Done", new FollowDoneModel("limited"));
        }

        var facts = await PublicFacts.LoadAsync(dataSource, cancellationToken);
        var errors = new List<string>();
        var normalized = Follows.NormalizeEmail(email);
        if (normalized is null)
            errors.Add("follow.error.email");
        kind = FollowKinds.All.Contains(kind) ? kind! : FollowKinds.Business;
        string? code = null, describedName = null;
        switch (kind)
        {
            case FollowKinds.Business:
                var lookup = await BusinessQuery.LookupAsync(dataSource, business, cancellationToken);
                // A well-formed BIN is "found" by its shape alone; only a business a published week listed may be followed.
                if (lookup.Outcome is BusinessLookupOutcome.Found or BusinessLookupOutcome.Moved
                    && await NameAsync(lookup.Bin, cancellationToken) is { } name)
                {
                    code = lookup.Bin;
                    describedName = name;
                }
                else
                {
                    errors.Add(lookup.Outcome == BusinessLookupOutcome.Malformed ? "follow.error.bin" : "follow.error.unknownBin");
                }
                break;
            case FollowKinds.Category:
                if (facts.IsCategory(category))
                    code = category;
                else
                    errors.Add("follow.error.category");
                break;
            default:
                if (facts.IsDistrict(district))
                    code = district;
                else
                    errors.Add("follow.error.district");
                break;
        }
        if (errors.Count > 0 || code is null || normalized is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", new FollowFormModel(facts, kind, business, null, category, district, email, errors));
        }

        var language = Languages.Current;
        var subscription = await follows.SubscribeAsync(normalized, language, HttpContext.SiteAddress(), kind, code, cancellationToken);
        switch (subscription.Outcome)
        {
            case SubscribeOutcome.TooMany:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return View("Done", new FollowDoneModel("tooMany"));
            case SubscribeOutcome.AlreadyConfirmed:
                // The same answer as for a new follow: the page does not tell who follows what.
                return View("Done", new FollowDoneModel("sent"));
        }

        var target = kind switch
        {
            FollowKinds.Business => FollowMailText.TargetBusiness.Format(language, describedName, PersonalNumbers.Shown(code)),
            FollowKinds.Category => FollowMailText.TargetCategory.Format(language, facts.CategoryName(code, language)),
            _ => FollowMailText.TargetDistrict.Format(language, facts.DistrictName(code, language)),
        };
        var link = $"{subscription.SiteUrl}/follow/confirm?token={subscription.ConfirmToken}&lang={language}";
        var message = mailer.Compose(normalized, FollowMailText.ConfirmSubject.In(language),
            FollowMailText.ConfirmBody.Format(language, target, link, options.Value.UnconfirmedDays), unsubscribeUrl: null);
        try
        {
            await mailer.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await mailing.RecordFailureAsync(subscription.FollowerId, "confirmation", null, 1, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return View("Done", new FollowDoneModel("notSent"));
        }
        return View("Done", new FollowDoneModel("sent"));
    }

    [HttpGet("/follow/confirm")]
    public async Task<IActionResult> Confirm(string? token, CancellationToken cancellationToken)
    {
        var confirmed = await follows.ConfirmAsync(token, cancellationToken);
        if (confirmed is null)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return View("Done", new FollowDoneModel(confirmed is null ? "confirmInvalid" : "confirmed"));
    }

    [HttpGet("/follow/unsubscribe")]
    public async Task<IActionResult> Unsubscribe(long id, string? token, CancellationToken cancellationToken)
    {
        var valid = await follows.IsUnsubscribeTokenAsync(id, token, cancellationToken);
        if (!valid)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return View(new UnsubscribeModel(id, token ?? "", valid));
    }

    /// <summary>The page's button, and the one-click unsubscribe of mail programs (RFC 8058), which posts with no token of the form.</summary>
    [HttpPost("/follow/unsubscribe")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> UnsubscribeConfirmed([FromQuery] long id, [FromQuery] string? token, CancellationToken cancellationToken)
    {
        var done = await follows.UnsubscribeAsync(id, token, cancellationToken);
        if (!done)
            Response.StatusCode = StatusCodes.Status404NotFound;
        return View("Done", new FollowDoneModel(done ? "unsubscribed" : "unsubscribeInvalid"));
    }

    private async Task<string?> NameAsync(string bin, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name FROM businesses WHERE bin = $1");
        command.Parameters.Add(new() { Value = bin, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}

/// <summary>No mail server, no follow pages: 404 before anything else (the form token's check included) looks at the request.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FollowOfferedAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public int Order => int.MinValue;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<FollowMailer>().IsConfigured)
            context.Result = new NotFoundResult();
    }
}

/// <summary>The limit on follow requests per client address (Follow:PermitLimit per Follow:WindowSeconds), on this node.</summary>
public sealed class FollowRequests : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public FollowRequests(IOptions<FollowOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetFixedWindowLimiter(ClientAddresses.Key(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public RateLimitLease Attempt(HttpContext context) => _limiter.AttemptAcquire(context);

    public void Dispose() => _limiter.Dispose();
}

public static class FollowFeature
{
    public static IServiceCollection AddFollowFeature(this IServiceCollection services)
    {
        services.AddSingleton<FollowRequests>();
        return services;
    }
}
