using System.Net;
using System.Net.Http.Headers;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

public sealed class OutputCacheTests(ProbeSite site) : IClassFixture<ProbeSite>
{
    [Fact]
    public async Task Get_PublicPageTwice_ServesTheFirstRenderingAgain()
    {
        var client = site.Node.CreateClient();

        var first = await client.GetStringAsync("/testing/cached?case=again");
        var second = await client.GetStringAsync("/testing/cached?case=again");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Get_PublicPageWhileTheFirstVisitorGivesUp_OthersStillGetThePage()
    {
        var impatient = site.Node.CreateClient();
        var patient = site.Node.CreateClient();
        using var giveUp = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ProbeController.SlowRenderings["abandoned"] = started;

        var first = impatient.GetAsync("/testing/cached-slow?case=abandoned", giveUp.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The second visitor is answered while the first rendering still hangs: nobody waits on another
        // visitor's rendering, so nobody inherits its cancellation (no fixed pause that could pass by chance).
        var answer = await patient.GetAsync("/testing/cached-slow?case=abandoned").WaitAsync(TimeSpan.FromSeconds(30));
        var firstStillRendering = !first.IsCompleted;
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        Assert.True(firstStillRendering);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("rendered for abandoned", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PublicPage_VariesByQueryString()
    {
        var client = site.Node.CreateClient();

        var one = await client.GetStringAsync("/testing/cached?case=query&page=1");
        var two = await client.GetStringAsync("/testing/cached?case=query&page=2");

        Assert.NotEqual(one, two);
    }

    [Fact]
    public async Task Get_PublicPage_VariesByTheLanguageOfTheCookieAndAcceptLanguage()
    {
        var russian = site.Node.CreateClient();
        var kazakhByCookie = site.Node.CreateClient();
        kazakhByCookie.DefaultRequestHeaders.Add("Cookie", "lang=kk");
        var kazakhByBrowser = site.Node.CreateClient();
        kazakhByBrowser.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("kk-KZ"));

        var inRussian = await russian.GetStringAsync("/testing/cached?case=language");
        var inKazakh = await kazakhByCookie.GetStringAsync("/testing/cached?case=language");
        var inKazakhAgain = await kazakhByBrowser.GetStringAsync("/testing/cached?case=language");

        Assert.StartsWith("Реестр Ashyq|", inRussian, StringComparison.Ordinal);
        Assert.StartsWith("Ashyq тізілімі|", inKazakh, StringComparison.Ordinal);
        Assert.Equal(inKazakh, inKazakhAgain);
    }

    [Fact]
    public async Task Get_PublicPageAsSignedInUser_IsNeitherServedFromNorStoredInTheCache()
    {
        var visitor = site.Node.CreateClient();
        var staff = site.Node.CreateClient();
        staff.DefaultRequestHeaders.Add(RegistryNode.SignedInHeader, "1");

        var forVisitor = await visitor.GetStringAsync("/testing/cached?case=staff");
        var forStaff = await staff.GetStringAsync("/testing/cached?case=staff");
        var forStaffAgain = await staff.GetStringAsync("/testing/cached?case=staff");

        Assert.NotEqual(forVisitor, forStaff);
        Assert.NotEqual(forStaff, forStaffAgain);
        Assert.Equal(forVisitor, await visitor.GetStringAsync("/testing/cached?case=staff"));
    }

    [Fact]
    public async Task Get_PublicPageThatSetsACookie_IsNotCached()
    {
        var client = site.Node.CreateClient();

        var first = await client.GetAsync("/testing/cached-with-cookie");
        var second = await client.GetAsync("/testing/cached-with-cookie");

        Assert.True(first.Headers.Contains("Set-Cookie"));
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_PublicPageWithLanguageSwitch_IsNotStoredWithTheLanguageCookie()
    {
        var client = site.Node.CreateClient();

        var switched = await client.GetAsync("/testing/cached?case=switch&lang=en");
        var again = await client.GetAsync("/testing/cached?case=switch&lang=en");

        Assert.True(again.Headers.Contains("Set-Cookie"));
        Assert.NotEqual(await switched.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }
}
