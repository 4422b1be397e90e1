using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Ashyq.Registry.Web.Features.Api;

/// <summary>
/// A week named in an API address or query: a date written as yyyy-MM-dd that is a reporting week
/// (a Monday within the registry's bounds), or else a 400 problem that says which rule it breaks.
/// </summary>
public static class ApiWeek
{
    /// <summary>410 Gone for a week that was published and withdrawn, with when and why, in the request's language.</summary>
    public static ObjectResult WeekWithdrawn(this ControllerBase controller, WithdrawnWeek week)
    {
        var texts = controller.HttpContext.RequestServices.GetRequiredService<Texts>();
        var problem = controller.Problem(statusCode: StatusCodes.Status410Gone, title: texts["week.withdrawn.title"],
            detail: texts.Format("week.withdrawn.problem", week.Key, controller.HttpContext.RequestServices.GetRequiredService<SiteTime>().Moment(week.WithdrawnAt), week.Reason));
        if (problem.Value is ProblemDetails details)
        {
            details.Extensions["weekStart"] = week.Key;
            details.Extensions["withdrawnAt"] = week.WithdrawnAt;
            details.Extensions["reason"] = week.Reason;
        }
        return problem;
    }

    public static bool TryRead(this ControllerBase controller, string? text, RegistryOptions options, TimeProvider clock,
        out DateOnly week, out ObjectResult problem)
    {
        problem = null!;
        if (!WeekDates.TryParse(text, out week))
        {
            problem = controller.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a date",
                detail: "The week is a date written as yyyy-MM-dd: the Monday it starts on.");
            return false;
        }
        var today = WeekDates.Today(clock);
        var check = WeekDates.Check(week, today, options.MaxWeeksAhead);
        if (check == WeekCheck.Valid)
            return true;
        problem = controller.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a reporting week",
            detail: WeekDates.Describe(check, week, today, options.MaxWeeksAhead));
        return false;
    }
}
