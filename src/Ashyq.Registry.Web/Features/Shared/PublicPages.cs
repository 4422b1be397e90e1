using Microsoft.AspNetCore.Mvc;

namespace Ashyq.Registry.Web.Features.Shared;

public static class PublicPages
{
    /// <summary>The page for a week that is malformed, unknown or not published: 404, with the weeks that are.</summary>
    public static ViewResult WeekNotFound(this Controller controller, PublicFacts facts)
    {
        var view = controller.View("WeekNotFound", facts);
        view.StatusCode = StatusCodes.Status404NotFound;
        return view;
    }
}
