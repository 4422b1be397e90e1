using System.Net;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Follow;

/// <summary>The site with no mail server set, and with one that goes away before a publish.</summary>
public sealed class FollowMailServerTests
{
    [Fact]
    public async Task WithoutSmtpHost_FollowAnswers404_AndNoPageLinksToIt()
    {
        await using var site = new RegistryWebFactory();
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        await site.ImportAsync(FollowFixture.FirstWeek(), FollowFixture.Week1);
        using var browser = StaffSession.Anonymous(site);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/follow")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/follow?business={FollowFixture.Changing}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync("/follow/confirm?token=x")).StatusCode);
        var post = await browser.Client.PostAsync("/follow", new FormUrlEncodedContent([new("email", "a@example.kz"), new("kind", "category"), new("category", "catering")]));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var page = await StaffSession.HtmlAsync(await browser.Client.GetAsync($"/business/{FollowFixture.Changing}"));
        Assert.NotNull(page.QuerySelector("[data-testid=business-feed]"));
        Assert.Null(page.QuerySelector("[data-testid=business-follow-email]"));
        Assert.Null(page.QuerySelector("a[href^='/follow']"));
        var statistics = await StaffSession.HtmlAsync(await browser.Client.GetAsync("/statistics"));
        Assert.NotNull(statistics.QuerySelector("[data-testid=category-feed]"));
        Assert.Null(statistics.QuerySelector("a[href^='/follow']"));
    }

    [Fact]
    public async Task SmtpDown_PublishSucceeds_AndStaffSeeTheFailedSend()
    {
        var mail = await SmtpSink.StartAsync();
        await using var site = new RegistryWebFactory();
        foreach (var (key, value) in mail.Settings)
            site.Settings[key] = value;
        site.Settings["Follow:RetryDelaySeconds"] = "0";
        site.Settings["Follow:SendAttempts"] = "2";
        site.Settings["Smtp:TimeoutSeconds"] = "5";
        await ((Xunit.IAsyncLifetime)site).InitializeAsync();
        await site.ImportAsync(FollowFixture.FirstWeek(), FollowFixture.Week1);
        using var browser = StaffSession.Anonymous(site);
        Assert.Equal("sent", await FollowTests.SubscribeAsync(browser, "down@example.kz", "en", "business", FollowFixture.Changing));
        var confirmation = (await mail.WaitForAsync(1))[0];
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(FollowTests.LinkIn(confirmation, "/follow/confirm"))).StatusCode);
        await mail.DisposeAsync();

        using var staff = await StaffSession.SignedInAsync(site, "publisher@example.kz");
        await site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2, publish: false);
        var published = await staff.PublishTickingEveryBoxAsync(FollowFixture.Week2);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal("published", await WeekStatusAsync(site, FollowFixture.Week2));

        AngleSharp.Dom.IElement? failure = null;
        for (var i = 0; i < 100 && failure is null; i++)
        {
            await Task.Delay(300);
            failure = (await staff.PageAsync("/staff/mail?lang=en")).QuerySelector("[data-testid=mail-failure][data-purpose=change]");
        }
        Assert.NotNull(failure);
        Assert.Contains("d•••@example.kz", failure.TextContent, StringComparison.Ordinal);
        Assert.Contains("Changes of the week", failure.TextContent, StringComparison.Ordinal);
        var page = await staff.PageAsync("/staff/mail?lang=en");
        Assert.NotNull(page.QuerySelector("[data-testid=mail-pending]"));

        // With the server down, a new follow is told its email was not sent, and staff see that too.
        Assert.Equal("notSent", await FollowTests.SubscribeAsync(browser, "later@example.kz", "ru", "category", "catering"));
        Assert.NotNull((await staff.PageAsync("/staff/mail")).QuerySelector("[data-testid=mail-failure][data-purpose=confirmation]"));
    }

    private static async Task<string?> WeekStatusAsync(RegistryWebFactory site, string week)
    {
        await using var connection = new NpgsqlConnection(site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM weeks WHERE week_start = $1::date", connection);
        command.Parameters.Add(new() { Value = week });
        return (string?)await command.ExecuteScalarAsync();
    }
}
