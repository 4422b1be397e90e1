using Hangfire;
using Hangfire.Dashboard;

namespace Ashyq.Registry.Web.Features.Staff.Jobs;

/// <summary>
/// The job store's own dashboard, inside the staff area: signed-in staff may look, administrators may
/// also act on jobs (requeue, delete); anyone else is sent to sign in, as for every staff page.
/// </summary>
public static class JobsDashboard
{
    /// <summary>The dashboard asks for its counters this often (ms); each ask is a request in the site's log.</summary>
    public const int PollMilliseconds = 30_000;

    /// <summary>Whether a request is for the dashboard; while the dashboard answers, it has moved its prefix to the base path.</summary>
    public static bool IsDashboard(HttpRequest request) =>
        request.PathBase.Add(request.Path).StartsWithSegments(JobsController.DashboardPath, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(StaffRoles.StaffPolicy, JobsController.DashboardPath, new DashboardOptions
        {
            AppPath = "/staff/jobs",
            DashboardTitle = "Ashyq Registry",
            DisplayStorageConnectionString = false,
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(StaffRoles.Admin),
            StatsPollingInterval = PollMilliseconds,
        }, endpoints.ServiceProvider.GetRequiredService<JobStorage>());
        return endpoints;
    }
}
