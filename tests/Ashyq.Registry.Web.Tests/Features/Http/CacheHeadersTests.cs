using System.Net;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Http;

public sealed class CacheHeadersTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    public static TheoryData<string> PublicAnswers() =>
    [
        "/",
        "/leaders",
        "/exclusions",
        "/outsiders?week=2021-07-19",
        "/statistics",
        "/changes",
        "/about",
        "/search?q=Кафе",
        $"/business/{PublicSiteFixture.C}",
        $"/business/{PublicSiteFixture.C}/badge.svg",
        $"/business/{PublicSiteFixture.C}/feed.atom",
        "/feed.atom",
        "/lists/leaders.csv",
        "/lists/leaders.xlsx",
        "/api/v1/weeks",
        "/api/v1/lists/leaders",
        $"/api/v1/businesses/{PublicSiteFixture.C}",
    ];

    [Theory]
    [MemberData(nameof(PublicAnswers))]
    public async Task Get_PublicAnswer_HasAShortPublicLifetimeAndAnETag_AndRevalidatesTo304(string url)
    {
        var client = site.Client();

        var first = await client.GetAsync(url);
        var body = await first.Content.ReadAsByteArrayAsync();
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var revalidated = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        Assert.True(first.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, revalidated.Headers.ETag);
        // The 304 comes for a page the output cache now holds, with its tag: it keeps the page's lifetime.
        Assert.Equal("public, max-age=60", revalidated.Headers.CacheControl?.ToString());
        Assert.NotEmpty(body);
    }

    public static TheoryData<string> PagesOfAWeek() =>
    [
        "/",
        "/leaders",
        "/statistics",
        "/changes",
        "/lists/leaders.csv",
        "/api/v1/lists/leaders",
        "/outsiders?week=2021-07-12",
        "/changes?week=2021-07-05",
    ];

    /// <summary>Pages that show what the published weeks say without being one week's page.</summary>
    public static TheoryData<string> PagesOfThePublishedData() =>
    [
        $"/business/{PublicSiteFixture.C}",
        "/search?q=Кафе",
        "/feed.atom",
    ];

    [Theory]
    [MemberData(nameof(PagesOfAWeek))]
    [MemberData(nameof(PagesOfThePublishedData))]
    public async Task Get_PageOfAWeek_IsLastModifiedAtTheLastPublicationOrWithdrawal_AndRevalidatesTo304BySince(string url)
    {
        var client = site.Client();
        var lastChanged = await LastChangedAsync();

        var first = await client.GetAsync(url);
        var cached = await client.GetAsync(url);
        var unchanged = await client.SendAsync(IfModifiedSince(url, lastChanged));
        var changed = await client.SendAsync(IfModifiedSince(url, lastChanged.AddSeconds(-1)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(lastChanged, first.Content.Headers.LastModified);
        Assert.Equal(lastChanged, cached.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEmpty(await changed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_IfNoneMatchThatDiffers_WinsOverAnIfModifiedSinceThatMatches()
    {
        var request = IfModifiedSince("/leaders", await LastChangedAsync());
        request.Headers.TryAddWithoutValidation("If-None-Match", "W/\"something-else\"");

        var response = await site.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/leaders?week=2021-07-12")]
    [InlineData("/outsiders?week=2021-07-05")]
    [InlineData("/statistics?week=2021-07-12")]
    [InlineData("/changes?week=2021-07-12")]
    [InlineData("/lists/leaders.csv?week=2021-07-12")]
    [InlineData("/api/v1/lists/leaders?week=2021-07-12")]
    public async Task Get_PastWeek_IsKeptLongerThanTheLatestWeek(string url)
    {
        var client = site.Client();

        var first = await client.GetAsync(url);
        var cached = await client.GetAsync(url);
        var latest = await client.GetAsync(url.Replace("2021-07-12", "2021-07-19", StringComparison.Ordinal).Replace("2021-07-05", "2021-07-19", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, max-age=3600", first.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=3600", cached.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal("public, max-age=60", latest.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Get_PastWeek_LifetimeIsASetting()
    {
        await using var shorter = site.Site.WithWebHostBuilder(b => b.UseSetting("HttpCache:PastWeekMaxAgeSeconds", "600"));

        var response = await shorter.CreateClient().GetAsync("/leaders?week=2021-07-12");

        Assert.Equal("public, max-age=600", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("/leaders?week=2021-07-26")]
    [InlineData("/leaders?week=2021-08-02")]
    public async Task Get_WithdrawnOrUnpublishedWeek_HasNeitherLastModifiedNorAPublicLifetime(string url)
    {
        var response = await site.Client().GetAsync(url);

        Assert.False(response.IsSuccessStatusCode);
        Assert.Null(response.Content.Headers.LastModified);
        Assert.False(response.Headers.CacheControl?.Public ?? false);
    }

    private static HttpRequestMessage IfModifiedSince(string url, DateTimeOffset since)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfModifiedSince = since;
        return request;
    }

    // The newest publication or withdrawal, to the second as an HTTP date carries it.
    private async Task<DateTimeOffset> LastChangedAsync()
    {
        await using var connection = new NpgsqlConnection(site.Site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT max(greatest(published_at, withdrawn_at)) FROM weeks WHERE status IN ('published', 'withdrawn')", connection);
        var newest = (DateTime)(await command.ExecuteScalarAsync())!;
        return new DateTimeOffset(newest.Ticks - newest.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    [Fact]
    public async Task Get_WithAnotherETag_GetsThePageAgain()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/leaders");
        request.Headers.TryAddWithoutValidation("If-None-Match", "W/\"something-else\", \"other\"");

        var response = await site.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ETag_DiffersByLanguageAndQuery_AndTheCachedCopyRevalidatesToo()
    {
        var client = site.Client();

        var russian = (await client.GetAsync("/leaders?week=2021-07-12")).Headers.ETag;
        var english = (await client.GetAsync("/leaders?week=2021-07-12&lang=en")).Headers.ETag;
        var otherWeek = (await client.GetAsync("/leaders?week=2021-07-05")).Headers.ETag;
        // The second request for the same page is served by the output cache.
        var cached = await client.GetAsync("/leaders?week=2021-07-12");
        var conditional = new HttpRequestMessage(HttpMethod.Get, "/leaders?week=2021-07-12");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", russian!.Tag);
        var revalidated = await client.SendAsync(conditional);

        Assert.NotEqual(russian, english);
        Assert.NotEqual(russian, otherWeek);
        Assert.Equal(russian, cached.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Get_VersionedStaticFile_IsImmutableForAYear()
    {
        var page = await site.PageAsync("/");
        var css = page.QuerySelector("link[rel='stylesheet']")!.GetAttribute("href")!;
        var icon = page.QuerySelector("link[rel='icon']")!.GetAttribute("href")!;

        var cssResponse = await site.Client().GetAsync(css);
        var iconResponse = await site.Client().GetAsync(icon);
        var unversioned = await site.Client().GetAsync("/favicon.ico");

        Assert.Contains("?v=", css, StringComparison.Ordinal);
        Assert.Equal("public, max-age=31536000, immutable", cssResponse.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", iconResponse.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=60", unversioned.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Get_UnknownBusiness_IsNotGivenAPublicLifetime()
    {
        var response = await site.Client().GetAsync($"/business/{ExportBuilder.BinFor(999)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Headers.CacheControl?.Public ?? false);
    }

    [Fact]
    public async Task Get_AnswerLongerThanTheHoldBack_IsStreamedWhole_WithItsLifetimeButNoETag()
    {
        await using var smallHoldBack = site.Site.WithWebHostBuilder(b => b.UseSetting("HttpCache:EntityTagMaxBytes", "64"));
        var client = smallHoldBack.CreateClient();

        var streamed = await client.GetAsync("/lists/leaders.csv");
        var whole = await site.Client().GetAsync("/lists/leaders.csv");

        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal("public, max-age=60", streamed.Headers.CacheControl!.ToString());
        Assert.Null(streamed.Headers.ETag);
        Assert.True((await whole.Content.ReadAsByteArrayAsync()).Length > 64);
        Assert.Equal(await whole.Content.ReadAsByteArrayAsync(), await streamed.Content.ReadAsByteArrayAsync());
        Assert.NotNull(whole.Headers.ETag);
    }
}

public sealed class CacheHeadersAfterChangeTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_AfterAPublishOrWithdraw_TheOldETagNoLongerMatches()
    {
        var a = ExportBuilder.BinFor(201);
        await factory.ImportAsync(new ExportBuilder().Row(a, "лидер", "Кафе «Первое»", scans: 500).ToBytes(), "2021-07-05");
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var before = (await client.GetAsync("/leaders")).Headers.ETag!;
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(client, before)).StatusCode);

        await factory.ImportAsync(new ExportBuilder().Row(a, "лидер", "Кафе «Второе»", scans: 600).ToBytes(), "2021-07-12");
        var afterPublish = await UntilChanged(client, before);
        await factory.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 7, 12), "test", "ошибка");
        var afterWithdraw = await UntilChanged(client, afterPublish.Headers.ETag!);

        Assert.Contains("Кафе «Второе»", await afterPublish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Кафе «Первое»", await afterWithdraw.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterAWithdrawal_AnEarlierWeeksPageIsNotCalledUnmodifiedSinceTheWithdrawnWeek()
    {
        var a = ExportBuilder.BinFor(201);
        await factory.ImportAsync(new ExportBuilder().Row(a, "лидер", "Кафе «Первое»", scans: 500).ToBytes(), "2021-07-05");
        await factory.ImportAsync(new ExportBuilder().Row(a, "лидер", "Кафе «Второе»", scans: 600).ToBytes(), "2021-07-12");
        // Published an hour ago, so that the withdrawal falls in a later second than either publication.
        await using (var connection = new NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var earlier = new NpgsqlCommand("UPDATE weeks SET published_at = published_at - interval '1 hour'", connection);
            await earlier.ExecuteNonQueryAsync();
        }
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var published = await client.GetAsync("/leaders");
        var shownSince = published.Content.Headers.LastModified!.Value;

        // The week shown falls back to 5 July, published before the page above was: only the withdrawal's time tells it changed.
        await factory.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 7, 12), "test", "ошибка");
        var afterWithdraw = await UntilChanged(client, published.Headers.ETag!);
        var since = new HttpRequestMessage(HttpMethod.Get, "/leaders");
        since.Headers.IfModifiedSince = shownSince;
        var revalidated = await client.SendAsync(since);

        Assert.True(afterWithdraw.Content.Headers.LastModified > shownSince);
        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
        Assert.Contains("Кафе «Первое»", await revalidated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/staff/login")]
    [InlineData("/staff/weeks")]
    [InlineData("/staff/imports")]
    [InlineData("/staff/audit")]
    public async Task Get_StaffPage_SignedIn_IsNeverStored(string url)
    {
        using var staff = await StaffSession.SignedInAsync(factory, "cache@ashyq.local", admin: true);

        var response = await staff.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Get_StaffPage_ByTwoStaffAndAVisitor_EachGetsTheirOwnAnswer()
    {
        // With a real sign-in: had any cache kept the first account's page, the others would be handed it.
        using var first = await StaffSession.SignedInAsync(factory, "first.cache@ashyq.local");
        using var second = await StaffSession.SignedInAsync(factory, "second.cache@ashyq.local");
        using var visitor = StaffSession.Anonymous(factory);

        var forFirst = await first.PageAsync("/staff/imports");
        var forFirstAgain = await first.PageAsync("/staff/imports");
        var forVisitor = await visitor.Client.GetAsync("/staff/imports");
        var forSecond = await second.PageAsync("/staff/imports");

        Assert.Equal("first.cache@ashyq.local", forFirst.QuerySelector("[data-testid=staff-user]")?.TextContent.Trim());
        Assert.Equal("first.cache@ashyq.local", forFirstAgain.QuerySelector("[data-testid=staff-user]")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Redirect, forVisitor.StatusCode);
        Assert.Equal("second.cache@ashyq.local", forSecond.QuerySelector("[data-testid=staff-user]")?.TextContent.Trim());
    }

    [Fact]
    public async Task SignIn_TheSessionCookieIsSentToTheStaffAreaOnly()
    {
        // Public pages are cached for everyone; they can be, because no public request carries a staff session.
        await StaffSession.CreateAccountAsync(factory, "cookie.cache@ashyq.local", admin: false);
        using var session = StaffSession.Anonymous(factory);

        var signedIn = await session.SignInAsync("cookie.cache@ashyq.local", StaffSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(StaffArea.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("path=/staff", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void StaffControllers_NeverOptIntoTheOutputCache()
    {
        var staff = typeof(StaffArea).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith(typeof(StaffArea).Namespace!, StringComparison.Ordinal) == true && typeof(ControllerBase).IsAssignableFrom(t))
            .ToList();

        Assert.True(staff.Count >= 6, $"only {staff.Count} staff controllers found");
        Assert.All(staff, controller =>
        {
            Assert.False(controller.IsDefined(typeof(OutputCacheAttribute), inherit: true), controller.Name);
            Assert.All(controller.GetMethods(), action => Assert.False(action.IsDefined(typeof(OutputCacheAttribute), inherit: true), $"{controller.Name}.{action.Name}"));
        });
    }

    [Fact]
    public async Task Get_StaffPage_Anonymous_RedirectIsNeverStoredEither()
    {
        using var anonymous = StaffSession.Anonymous(factory);

        var response = await anonymous.Client.GetAsync("/staff/weeks");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    private static Task<HttpResponseMessage> Conditional(HttpClient client, System.Net.Http.Headers.EntityTagHeaderValue tag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/leaders");
        request.Headers.IfNoneMatch.Add(tag);
        return client.SendAsync(request);
    }

    // The nodes hear of the change through the database's notification, a moment after it is committed.
    private static async Task<HttpResponseMessage> UntilChanged(HttpClient client, System.Net.Http.Headers.EntityTagHeaderValue old)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await Conditional(client, old);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.NotEqual(old, response.Headers.ETag);
                return response;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The page's ETag did not change after the week changed.");
    }
}
