using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

public sealed class ErrorPageTests(ProbeSite site) : IClassFixture<ProbeSite>
{
    [Fact]
    public async Task Get_FailingPage_ShowsFriendlyPageWithoutStackTrace()
    {
        var response = await site.Node.CreateClient().GetAsync("/testing/fail?lang=en");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = new HtmlParser().ParseDocument(body);
        Assert.Equal("500", page.QuerySelector("[data-testid=error-page]")?.GetAttribute("data-status"));
        Assert.Equal("Something went wrong", page.QuerySelector("h1")?.TextContent);
        Assert.NotNull(page.QuerySelector("[data-testid=error-home]"));
        AssertRevealsNothing(body);
    }

    [Fact]
    public async Task Post_FailingPage_ShowsFriendlyPage()
    {
        var response = await site.Node.CreateClient().PostAsync("/testing/fail", new StringContent(""));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("data-testid=\"error-page\"", body, StringComparison.Ordinal);
        AssertRevealsNothing(body);
    }

    [Fact]
    public async Task Get_FailingApi_AnswersProblemJsonWithoutStackTrace()
    {
        var response = await site.Node.CreateClient().GetAsync("/api/testing/fail");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        AssertRevealsNothing(body);
    }

    [Theory]
    [InlineData("ru", "Страница не найдена")]
    [InlineData("kk", "Бет табылмады")]
    [InlineData("en", "Page not found")]
    public async Task Get_UnknownPage_ShowsNotFoundInTheVisitorsLanguage(string language, string title)
    {
        var response = await site.Node.CreateClient().GetAsync($"/no-such-page?lang={language}");

        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent);
        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(page.QuerySelector("a.skip-link"));
    }

    [Fact]
    public async Task Get_UnknownPage_HonoursAcceptLanguage()
    {
        var client = site.Node.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("kk-KZ,kk;q=0.9");

        var response = await client.GetAsync("/no-such-page");

        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Бет табылмады", page.QuerySelector("h1")?.TextContent);
    }

    [Fact]
    public async Task Get_UnknownApiPath_AnswersProblemJson()
    {
        var response = await site.Node.CreateClient().GetAsync("/api/v1/no-such-resource");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(403, "Access denied")]
    [InlineData(429, "Too many requests")]
    [InlineData(418, "The request cannot be completed")]
    public async Task Get_PageEndingWithAnEmptyErrorStatus_ShowsThePageForThatStatus(int status, string title)
    {
        var response = await site.Node.CreateClient().GetAsync($"/testing/status/{status}?lang=en");

        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(title, page.QuerySelector("h1")?.TextContent);
    }

    private static void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain(ProbeController.SecretDetail, body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ProbeController", body, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [\w.`]+\.[\w<>`]+\(", body);
    }
}
