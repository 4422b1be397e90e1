using System.Globalization;
using System.Net;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>One log line per request, with the status the client got and the time it took.</summary>
public sealed class RequestLogTests(ProbeSite site) : IClassFixture<ProbeSite>
{
    [Fact]
    public async Task Get_FailingPage_IsLoggedOnceAs500AtErrorLevel()
    {
        var response = await site.Node.CreateClient().GetAsync("/testing/fail?lang=en");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var line = Assert.Single(await site.Node.Log.RequestLinesAsync("GET", "/testing/fail"));
        Assert.Equal(LogEventLevel.Error, line.Level);
        Assert.Equal("500", CapturedLog.Text(line, "StatusCode"));
        Assert.Equal("GET", CapturedLog.Text(line, "RequestMethod"));
        Assert.True(double.Parse(CapturedLog.Text(line, "Elapsed")!, CultureInfo.InvariantCulture) > 0);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        new MessageTemplateTextFormatter("{Message:lj}").Format(line, text);
        Assert.Matches(@"^HTTP GET /testing/fail responded 500 in \d+\.\d ms$", text.ToString());
    }

    [Theory]
    [InlineData(404, LogEventLevel.Information)]
    [InlineData(429, LogEventLevel.Information)]
    [InlineData(503, LogEventLevel.Error)]
    public async Task Get_PageEndingWithAStatus_IsLoggedWithThatStatus(int status, LogEventLevel level)
    {
        var response = await site.Node.CreateClient().GetAsync($"/testing/status/{status}");

        Assert.Equal(status, (int)response.StatusCode);
        var line = Assert.Single(await site.Node.Log.RequestLinesAsync("GET", $"/testing/status/{status}"));
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), CapturedLog.Text(line, "StatusCode"));
        Assert.Equal(level, line.Level);
    }

    [Fact]
    public async Task Post_Page_IsLoggedWithItsMethod()
    {
        await site.Node.CreateClient().PostAsync("/testing/fail", new StringContent(""));

        var line = Assert.Single(await site.Node.Log.RequestLinesAsync("POST", "/testing/fail"));
        Assert.Equal("500", CapturedLog.Text(line, "StatusCode"));
    }

    [Fact]
    public async Task Get_JobDashboardPoll_IsNotLoggedAtInformation_ButTheSitesOwnPagesAre()
    {
        var client = site.Node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        await client.GetAsync("/staff/jobs/hangfire/stats");
        await client.GetAsync("/testing/status/404");

        Assert.NotEmpty(await site.Node.Log.RequestLinesAsync("GET", "/testing/status/404"));
        Assert.DoesNotContain(await site.Node.Log.RequestLinesAsync("GET", "/staff/jobs/hangfire/stats"),
            line => line.Level >= LogEventLevel.Information);
    }
}
