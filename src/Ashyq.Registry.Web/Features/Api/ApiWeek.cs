using Ashyq.Registry.Core;
using Ashyq.Registry.Core.Weeks;
using Microsoft.AspNetCore.Mvc;

namespace Ashyq.Registry.Web.Features.Api;

/// <summary>
/// A week named in an API address or query: a date written as yyyy-MM-dd that is a reporting week
/// (a Monday within the registry's bounds), or else a 400 problem that says which rule it breaks.
/// </summary>
public static class ApiWeek
{
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
