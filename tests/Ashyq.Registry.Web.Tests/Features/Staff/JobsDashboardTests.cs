using System.Net;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Who may see the job dashboard, and who may act in it.</summary>
public sealed class JobsDashboardTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Dashboard = "/staff/jobs/hangfire";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var visitor = StaffSession.Anonymous(factory);

        var response = await visitor.Client.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/staff/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_SeesTheDashboard_ButCannotDeleteAJob()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "looker@ashyq.local");
        var jobId = ScheduleJob();

        var home = await staff.Client.GetAsync(Dashboard);
        var delete = await DeleteAsync(staff, jobId);

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.False(delete.IsSuccessStatusCode, $"{delete.StatusCode}");
        Assert.Equal(ScheduledState.StateName, State(jobId));
    }

    [Fact]
    public async Task Admin_DeletesAJob()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "keeper@ashyq.local", admin: true);
        var jobId = ScheduleJob();

        var delete = await DeleteAsync(admin, jobId);

        Assert.True(delete.IsSuccessStatusCode, $"{delete.StatusCode}");
        Assert.Equal(DeletedState.StateName, State(jobId));
    }

    private string ScheduleJob() => factory.Services.GetRequiredService<IBackgroundJobClient>()
        .Schedule<ImportSweepJob>(job => job.RunAsync(CancellationToken.None), TimeSpan.FromDays(1));

    private string? State(string jobId)
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetJobData(jobId)?.State;
    }

    /// <summary>Deletes a scheduled job as the dashboard's button does, with its anti-forgery header.</summary>
    private static async Task<HttpResponseMessage> DeleteAsync(StaffSession session, string jobId)
    {
        var page = await session.Client.GetAsync($"{Dashboard}/jobs/scheduled");
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Dashboard}/jobs/scheduled/delete")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", jobId)]),
        };
        var header = document.QuerySelector("meta[name=csrf-header]")?.GetAttribute("content");
        var token = document.QuerySelector("meta[name=csrf-token]")?.GetAttribute("content");
        if (header is not null && token is not null)
            request.Headers.Add(header, token);
        return await session.Client.SendAsync(request);
    }
}
