using System.Net;
using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Follows;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Follow;

/// <summary>The site with a real mail server on loopback; the first week published, nobody following yet.</summary>
public sealed class FollowFixture : IAsyncLifetime
{
    public const string Week1 = "2021-07-05";
    public const string Week2 = "2021-07-12";
    public static readonly string Changing = ExportBuilder.BinFor(301);
    public static readonly string Steady = ExportBuilder.BinFor(302);
    public static readonly string InMedeu = ExportBuilder.BinFor(303);

    public SmtpSink Mail { get; private set; } = null!;

    public RegistryWebFactory Site { get; } = new();

    public static byte[] FirstWeek() => new ExportBuilder()
        .Row(Changing, "лидер", "Кафе «Алма»", scans: 900)
        .Row(Steady, "лидер", "Кафе «Тау»", scans: 800)
        .Row(InMedeu, "участник", "Кафе «Медеу»", district: "Медеуский", scans: 300)
        .ToBytes();

    public static byte[] SecondWeek() => new ExportBuilder()
        .Row(Changing, "аутсайдер", "Кафе «Алма»", scans: 4)
        .Row(Steady, "лидер", "Кафе «Тау»", scans: 810)
        .Row(InMedeu, "участник", "Кафе «Медеу»", district: "Медеуский", scans: 300)
        .ToBytes();

    public async Task InitializeAsync()
    {
        Mail = await SmtpSink.StartAsync();
        foreach (var (key, value) in Mail.Settings)
            Site.Settings[key] = value;
        Site.Settings["Follow:PermitLimit"] = "10000";
        Site.Settings["Follow:RetryDelaySeconds"] = "0";
        Site.Settings["Follow:SendAttempts"] = "2";
        Site.Settings["Smtp:TimeoutSeconds"] = "5";
        await ((IAsyncLifetime)Site).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Site.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

public sealed partial class FollowTests(FollowFixture fixture) : IClassFixture<FollowFixture>, IAsyncLifetime
{
    private RegistryWebFactory Site => fixture.Site;

    private SmtpSink Mail => fixture.Mail;

    public async Task InitializeAsync()
    {
        await Site.ResetAsync();
        Mail.Clear();
        await Site.ImportAsync(FollowFixture.FirstWeek(), FollowFixture.Week1);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publish_MailsEachChangedFollowOnce_AndNoneForUnchangedOrUnconfirmed()
    {
        using var browser = StaffSession.Anonymous(Site);
        Assert.Equal("sent", await SubscribeAsync(browser, "changing@example.kz", "ru", "business", FollowFixture.Changing));
        Assert.Equal("sent", await SubscribeAsync(browser, "steady@example.kz", "ru", "business", FollowFixture.Steady));
        Assert.Equal("sent", await SubscribeAsync(browser, "Catering@Example.kz", "en", "category", "catering"));
        Assert.Equal("sent", await SubscribeAsync(browser, "medeu@example.kz", "kk", "district", "medeu"));
        Assert.Equal("sent", await SubscribeAsync(browser, "unconfirmed@example.kz", "ru", "business", FollowFixture.Changing));

        var confirmations = await Mail.WaitForAsync(5);
        Assert.Equal(5, confirmations.Count);
        Assert.All(confirmations, m => Assert.DoesNotContain(m.Headers, h => h.Field == "List-Unsubscribe"));
        foreach (var address in new[] { "changing@example.kz", "steady@example.kz", "catering@example.kz", "medeu@example.kz" })
        {
            var confirm = await browser.Client.GetAsync(LinkIn(MailTo(confirmations, address), "/follow/confirm"));
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
            Assert.Equal("confirmed", await OutcomeAsync(confirm));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(LinkIn(MailTo(confirmations, "changing@example.kz"), "/follow/confirm"))).StatusCode);
        Mail.Clear();

        await Site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2);

        var changes = await Mail.WaitForAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(3));
        changes = Mail.Messages();
        Assert.Equal(["catering@example.kz", "changing@example.kz"], changes.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));

        var business = MailTo(changes, "changing@example.kz");
        var text = business.TextBody ?? "";
        Assert.Contains("Кафе «Алма»", text, StringComparison.Ordinal);
        Assert.Contains("аутсайдер", text, StringComparison.Ordinal);
        Assert.Contains("лидер", text, StringComparison.Ordinal);
        Assert.Contains($"/business/{FollowFixture.Changing}?lang=ru", text, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", business.Headers["List-Unsubscribe-Post"]);
        var category = MailTo(changes, "catering@example.kz");
        Assert.Contains("Category “Catering”", category.TextBody, StringComparison.Ordinal);
        Assert.Contains("Left the leaders list: Кафе «Алма»", category.TextBody, StringComparison.Ordinal);
        Assert.Contains("Entered the outsiders list: Кафе «Алма»", category.TextBody, StringComparison.Ordinal);

        // Mailing the week again (the upkeep, a second node) sends nobody anything twice.
        var week2 = DateOnly.Parse(FollowFixture.Week2, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, await Site.Services.GetRequiredService<FollowMailing>().RunAsync(week2, CancellationToken.None));
        Assert.Equal(2, Mail.Messages().Count);
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM follow_mail_sent"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM follow_mailings WHERE done_at IS NULL"));
    }

    /// <summary>The second week as corrected: the steady cafe was in fact an outsider too.</summary>
    private static byte[] CorrectedSecondWeek() => new ExportBuilder()
        .Row(FollowFixture.Changing, "аутсайдер", "Кафе «Алма»", scans: 4)
        .Row(FollowFixture.Steady, "аутсайдер", "Кафе «Тау»", scans: 5)
        .Row(FollowFixture.InMedeu, "участник", "Кафе «Медеу»", district: "Медеуский", scans: 300)
        .ToBytes();

    [Fact]
    public async Task Replacement_MailsWhoseFollowNowReadsDifferently_OnceAndNobodyElse()
    {
        using var browser = StaffSession.Anonymous(Site);
        Assert.Equal("sent", await SubscribeAsync(browser, "changing@example.kz", "ru", "business", FollowFixture.Changing));
        Assert.Equal("sent", await SubscribeAsync(browser, "steady@example.kz", "kk", "business", FollowFixture.Steady));
        Assert.Equal("sent", await SubscribeAsync(browser, "catering@example.kz", "en", "category", "catering"));
        Assert.Equal("sent", await SubscribeAsync(browser, "medeu@example.kz", "ru", "district", "medeu"));
        var confirmations = await Mail.WaitForAsync(4);
        foreach (var message in confirmations)
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(LinkIn(message, "/follow/confirm"))).StatusCode);
        await Site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2);
        await Mail.WaitForAsync(6);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(["catering@example.kz", "changing@example.kz"],
            Mail.Messages().Skip(4).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Mail.Clear();

        using var staff = await StaffSession.SignedInAsync(Site, "aigerim@ashyq.local");
        await staff.UploadLoadedAsync(CorrectedSecondWeek(), "corrected.csv", FollowFixture.Week2);
        var page = await staff.PageAsync($"/staff/weeks/{FollowFixture.Week2}");
        var form = page.QuerySelector("[data-testid=replace-form]") ?? throw new InvalidOperationException("The week has no replace form.");
        var fields = form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "on"))
            .Append(new KeyValuePair<string, string>("reason", "в файле министерства ошибка"))
            .ToList();
        var replaced = await staff.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Contains("done=replaced", replaced.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The steady cafe's follower hears of it for the first time; the category's follower is told the
        // week was corrected; the changing cafe's follower reads the same as before and hears nothing.
        await Mail.WaitForAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var mails = Mail.Messages();
        Assert.Equal(["catering@example.kz", "steady@example.kz"], mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        var steady = MailTo(mails, "steady@example.kz");
        Assert.Equal($"Ashyq: {FollowFixture.Week2} аптасындағы өзгерістер", steady.Subject);
        Assert.Contains("Кафе «Тау»", steady.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/business/{FollowFixture.Steady}?lang=kk", steady.TextBody, StringComparison.Ordinal);
        var corrected = MailTo(mails, "catering@example.kz");
        Assert.Equal($"Ashyq: the week of {FollowFixture.Week2} was corrected", corrected.Subject);
        Assert.Contains("Entered the outsiders list: Кафе «Алма», Кафе «Тау»", corrected.TextBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", corrected.Headers["List-Unsubscribe-Post"]);

        // The corrected week mailed again (the upkeep, a second node) sends nothing more.
        var week2 = DateOnly.Parse(FollowFixture.Week2, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, await Site.Services.GetRequiredService<FollowMailing>().RunAsync(week2, CancellationToken.None));
        Assert.Equal(2, Mail.Messages().Count);
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM follow_mail_sent WHERE digest IS NOT NULL"));
    }

    [Fact]
    public async Task Replacement_ThatUndoesTheChange_TellsTheMailedFollowerNothingChangedAnyMore()
    {
        using var browser = StaffSession.Anonymous(Site);
        Assert.Equal("sent", await SubscribeAsync(browser, "changing@example.kz", "ru", "business", FollowFixture.Changing));
        var confirmation = (await Mail.WaitForAsync(1))[0];
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync(LinkIn(confirmation, "/follow/confirm"))).StatusCode);
        await Site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2);
        await Mail.WaitForAsync(2);
        Mail.Clear();

        using var staff = await StaffSession.SignedInAsync(Site, "aigerim@ashyq.local");
        var undone = new ExportBuilder()
            .Row(FollowFixture.Changing, "лидер", "Кафе «Алма»", scans: 905)
            .Row(FollowFixture.Steady, "лидер", "Кафе «Тау»", scans: 810)
            .Row(FollowFixture.InMedeu, "участник", "Кафе «Медеу»", district: "Медеуский", scans: 300)
            .ToBytes();
        var id = await staff.UploadLoadedAsync(undone, "corrected.csv", FollowFixture.Week2);
        var page = await staff.PageAsync($"/staff/weeks/{FollowFixture.Week2}");
        var form = page.QuerySelector("[data-testid=replace-form]") ?? throw new InvalidOperationException("The week has no replace form.");
        var fields = form.QuerySelectorAll("input[name]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? "on"))
            .Append(new KeyValuePair<string, string>("reason", "кафе осталось лидером"))
            .ToList();
        var replaced = await staff.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Contains("done=replaced", replaced.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var corrected = (await Mail.WaitForAsync(1)).Single();
        Assert.Equal($"Ashyq: неделя {FollowFixture.Week2} исправлена", corrected.Subject);
        Assert.Contains("ничего не изменилось", corrected.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("аутсайдер", corrected.TextBody, StringComparison.Ordinal);
        Assert.Contains("/follow/unsubscribe?id=", corrected.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsubscribeLink_AndOneClickPost_DeleteTheAddressAndItsFollows()
    {
        using var browser = StaffSession.Anonymous(Site);
        await SubscribeAsync(browser, "one@example.kz", "ru", "business", FollowFixture.Changing);
        await SubscribeAsync(browser, "one@example.kz", "ru", "category", "catering");
        await SubscribeAsync(browser, "two@example.kz", "en", "business", FollowFixture.Changing);
        foreach (var message in await Mail.WaitForAsync(3))
            await browser.Client.GetAsync(LinkIn(message, "/follow/confirm"));
        Mail.Clear();
        await Site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2);
        var changes = await Mail.WaitForAsync(2);
        Assert.Equal(2, changes.Count);
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM followers"));

        // The link in the text opens a page whose one button unsubscribes.
        var page = await browser.Client.GetAsync(LinkIn(MailTo(changes, "one@example.kz"), "/follow/unsubscribe"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var form = (await StaffSession.HtmlAsync(page)).QuerySelector("[data-testid=unsubscribe-form]")!;
        var done = await browser.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent([]));
        Assert.Equal("unsubscribed", await OutcomeAsync(done));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM followers WHERE email = 'one@example.kz'"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM follows"));

        // A mail program's one-click unsubscribe: a POST to the header's address, no form token.
        var header = MailTo(changes, "two@example.kz").Headers["List-Unsubscribe"]!.Trim('<', '>');
        using var anonymous = Site.CreateClient();
        var oneClick = await anonymous.PostAsync(new Uri(header).PathAndQuery,
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM followers"));

        // Used again, or with a token changed, the link deletes nothing and says so.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(new Uri(header).PathAndQuery, null)).StatusCode);
    }

    [Fact]
    public async Task Subscribe_RefusesWhatIsNotAnAddressOrNotKnown()
    {
        using var browser = StaffSession.Anonymous(Site);
        var badEmail = await browser.PostFormAsync("/follow", "/follow", new()
        {
            ["email"] = "a@b.kz\r\nBcc: victim@example.kz",
            ["kind"] = "business",
            ["business"] = FollowFixture.Changing,
        });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        var unknown = await browser.PostFormAsync("/follow", "/follow", new()
        {
            ["email"] = "a@example.kz",
            ["kind"] = "business",
            ["business"] = ExportBuilder.BinFor(999),
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var noDistrict = await browser.PostFormAsync("/follow", "/follow", new()
        {
            ["email"] = "a@example.kz",
            ["kind"] = "district",
            ["district"] = "<script>",
        });
        Assert.Equal(HttpStatusCode.BadRequest, noDistrict.StatusCode);
        var noToken = await browser.Client.PostAsync("/follow", new FormUrlEncodedContent([new("email", "a@example.kz"), new("kind", "category"), new("category", "catering")]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        await Task.Delay(500);
        Assert.Empty(Mail.Messages());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM follows"));
    }

    [Fact]
    public async Task BusinessPage_LinksToFollow_WhenMailIsSet()
    {
        using var client = Site.CreateClient();
        var page = await StaffSession.HtmlAsync(await client.GetAsync($"/business/{FollowFixture.Changing}"));
        Assert.Equal($"/follow?business={FollowFixture.Changing}", page.QuerySelector("[data-testid=business-follow-email]")?.GetAttribute("href"));
        var form = await StaffSession.HtmlAsync(await client.GetAsync($"/follow?business={FollowFixture.Changing}"));
        Assert.Equal("Кафе «Алма»", form.QuerySelector("[data-testid=follow-business-name]")?.TextContent);
        var privacy = await StaffSession.HtmlAsync(await client.GetAsync("/privacy?lang=en"));
        Assert.Contains("deleted after 7 days", privacy.QuerySelector("[data-testid=privacy-follow]")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconfirmed_AfterItsDays_IsDeletedByTheUpkeep()
    {
        using var browser = StaffSession.Anonymous(Site);
        await SubscribeAsync(browser, "late@example.kz", "ru", "category", "catering");
        await using (var connection = new NpgsqlConnection(Site.ConnectionString))
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand("UPDATE follows SET requested_at = now() - interval '8 days'", connection);
            await age.ExecuteNonQueryAsync();
        }
        var link = LinkIn((await Mail.WaitForAsync(1))[0], "/follow/confirm");

        await Site.Services.GetRequiredService<FollowUpkeepJob>().RunAsync(CancellationToken.None);

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM followers"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task CategoryAndDistrictFeeds_ListTheWeeksWithCountsAndWhoEnteredOrLeft()
    {
        await Site.ImportAsync(FollowFixture.SecondWeek(), FollowFixture.Week2);
        using var client = Site.CreateClient();

        var response = await client.GetAsync("/category/catering/feed.atom?lang=en");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = feed.Root!.Elements(atom + "entry").ToList();
        Assert.Equal(2, entries.Count);
        var latest = entries[0].Element(atom + "summary")!.Value;
        Assert.Contains("participants 3 (was 3), leaders 1 (was 2), outsiders 1 (was 0)", latest, StringComparison.Ordinal);
        Assert.Contains("Left the leaders list: Кафе «Алма»", latest, StringComparison.Ordinal);
        Assert.Contains("Entered the outsiders list: Кафе «Алма»", latest, StringComparison.Ordinal);

        var district = System.Xml.Linq.XDocument.Parse(await client.GetStringAsync("/district/medeu/feed.atom?lang=en"));
        Assert.Contains("participants 1 (was 1)", district.Root!.Elements(atom + "entry").First().Element(atom + "summary")!.Value, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/category/nope/feed.atom")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/district/%3Cscript%3E/feed.atom")).StatusCode);

        var statistics = await StaffSession.HtmlAsync(await client.GetAsync("/statistics"));
        Assert.Equal("/category/catering/feed.atom", statistics.QuerySelector("[data-testid=category-feed][data-code=catering] a")?.GetAttribute("href"));
        Assert.Equal("/follow?district=medeu", statistics.QuerySelector("[data-testid=district-feed][data-code=medeu] [data-testid=district-follow-email]")?.GetAttribute("href"));
    }

    internal static async Task<string?> SubscribeAsync(StaffSession browser, string email, string language, string kind, string code)
    {
        var response = await browser.PostFormAsync($"/follow?lang={language}", $"/follow?lang={language}", new()
        {
            ["email"] = email,
            ["kind"] = kind,
            [kind] = code,
        });
        return await OutcomeAsync(response);
    }

    internal static async Task<string?> OutcomeAsync(HttpResponseMessage response) =>
        (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=follow-outcome]")?.GetAttribute("data-outcome");

    internal static MimeMessage MailTo(IEnumerable<MimeMessage> messages, string address) =>
        messages.Single(m => m.To.Mailboxes.Single().Address == address);

    /// <summary>The path and query of the first link in the text that leads to the given address.</summary>
    internal static string LinkIn(MimeMessage message, string path)
    {
        var match = Links().Matches(message.TextBody ?? "").Select(m => new Uri(m.Value)).First(u => u.AbsolutePath == path);
        return match.PathAndQuery;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex Links();
}
