using System.Net;

namespace Ashyq.Registry.Web.Tests.Features.Http;

public sealed class HeadTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    public static TheoryData<string> Routes() =>
    [
        "/",
        "/?lang=en",
        "/leaders",
        "/outsiders?week=2021-07-12",
        "/exclusions",
        "/search?q=Кафе",
        "/statistics",
        "/changes",
        "/about",
        $"/business/{PublicSiteFixture.A}",
        $"/business/{PublicSiteFixture.A}/badge.svg",
        $"/business/{PublicSiteFixture.A}/feed.atom",
        "/feed.atom",
        "/lists/leaders.csv",
        "/lists/leaders.xlsx",
        "/api/v1/weeks",
        "/api/v1/weeks/2021-07-19",
        "/api/v1/lists/leaders",
        $"/api/v1/businesses/{PublicSiteFixture.A}",
        "/css/site.css",
        "/health/live",
        "/staff/login",
        "/no-such-page",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Head_AnswersAsGetDoes_WithTheSameHeaders_AndNoBody(string url)
    {
        var client = site.Client();

        var get = await client.GetAsync(url);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        Assert.Equal(get.Content.Headers.ContentDisposition?.ToString(), head.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(get.Headers.Contains("Content-Security-Policy"), head.Headers.Contains("Content-Security-Policy"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_OnARouteThatTakesOnlyPost_IsRefusedAsGetIs()
    {
        var client = site.Client();

        var get = await client.GetAsync("/staff/logout");
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/staff/logout"));

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}
