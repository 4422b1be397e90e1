using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Dom;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Infrastructure;
using Ashyq.Registry.Web.Localization;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Replies;

/// <summary>
/// A business's right to reply: the public form on its own page, the honeypot, the per-address limit and
/// the form's errors in each language; staff publishing, rejecting and reviewing, with their audit rows;
/// and what a published reply or a review changes on the business page, its API answer, feed and badge.
/// </summary>
public sealed class BusinessReplyTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-12";
    private const string EarlierWeek = "2021-07-05";
    private static readonly string Bin = ExportBuilder.BinFor(301);
    private static readonly Texts Texts = new();

    /// <summary>Markup, a spreadsheet formula, a tab and line break, and Kazakh letters: all shown as text.</summary>
    private const string Hostile = "<script>alert('x')</script> =HYPERLINK(\"http://evil.example\",\"click\")\tҚұрметті оқырман,\nбіз аутсайдер емеспіз & \"тексеріңіз\"";

    public async Task InitializeAsync()
    {
        await factory.ResetAsync();
        await factory.ImportAsync(new ExportBuilder().Row(Bin, "участник", "Кафе «Жұлдыз»", scans: 300).ToBytes(), EarlierWeek);
        await factory.ImportAsync(new ExportBuilder().Row(Bin, "аутсайдер", "Кафе «Жұлдыз»", scans: 3).ToBytes(), Week);
        // The publications' notifications evict the pages of the test before too, but a moment later.
        await factory.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PublicOutputCache.Tag, default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Send_AValidReply_RedirectsToTheConfirmation_StoresItPending_AndShowsNothingYet()
    {
        using var visitor = StaffSession.Anonymous(factory);

        var sent = await SendAsync(visitor, Form(statement: "Статус неверен: мы сканировали всех."));

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/business/{Bin}/reply/sent", sent.Headers.Location!.OriginalString);
        var confirmation = await visitor.PageAsync(sent.Headers.Location.OriginalString);
        Assert.NotNull(confirmation.ByTestId("reply-sent"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM business_replies WHERE state = 'pending' AND contact_email = 'aigul@example.kz'"));
        var page = await PublicPageAsync($"/business/{Bin}");
        Assert.Empty(page.AllByTestId("reply"));
        Assert.NotNull(page.ByTestId("reply-link"));
    }

    [Fact]
    public async Task Send_WithTheHoneypotFilled_LooksAccepted_ButStoresNothing()
    {
        using var visitor = StaffSession.Anonymous(factory);
        var form = Form();
        form["Website"] = "http://spam.example";

        var sent = await SendAsync(visitor, form);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/business/{Bin}/reply/sent", sent.Headers.Location!.OriginalString);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM business_replies"));
    }

    [Fact]
    public async Task Send_WithoutTheFormToken_IsRefused()
    {
        using var visitor = StaffSession.Anonymous(factory);

        var response = await visitor.Client.PostAsync($"/business/{Bin}/reply", new FormUrlEncodedContent(Form()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM business_replies"));
    }

    public static TheoryData<string, string, string, string, string> InvalidInputs()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var language in Languages.All)
        {
            data.Add(language, "Statement", "   ", "Statement", "empty");
            data.Add(language, "Statement", new string('ә', 1001), "Statement", "too-long");
            data.Add(language, "Email", "aigul@", "Email", "email");
            data.Add(language, "Week", "2021-07-19", "Week", "week");
            data.Add(language, "Statement", "Звонок \u0007 здесь", "Statement", "control");
            data.Add(language, "Name", "Айгүл\u202Eзилган", "Name", "control");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Send_InvalidInput_AnswersTheFormAgain_WithTheErrorInThePagesLanguage_AndTheFieldsRefilled(
        string language, string field, string value, string shownField, string problem)
    {
        using var visitor = StaffSession.Anonymous(factory);
        var form = Form(statement: "Мы не согласны со статусом.");
        form[field] = value;

        var response = await SendAsync(visitor, form, language);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await StaffSession.HtmlAsync(response);
        var max = shownField == "Statement" ? 1000 : 200;
        Assert.Equal(string.Format(Languages.Culture(language), Texts.Get("replies.error." + problem, language), max),
            page.ByTestId("error-" + shownField.ToLowerInvariant()).Text());
        Assert.Contains(Texts.Get("replies.errors", language), page.ByTestId("reply-errors").TextContent, StringComparison.Ordinal);
        // A field of blanks comes back empty, as the framework reads one.
        Assert.Equal(form["Name"], page.QuerySelector("#reply-name")!.GetAttribute("value"));
        Assert.Equal(form["Email"], page.QuerySelector("#reply-email")!.GetAttribute("value"));
        Assert.Equal(form["Statement"].Trim(), page.QuerySelector("#reply-statement")!.TextContent.Trim());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM business_replies"));
    }

    [Fact]
    public async Task Send_PastTheLimitOfOneAddress_Answers429_WithAPageInItsLanguage()
    {
        using var node = factory.WithWebHostBuilder(b => b.UseSetting("Replies:PermitLimit", "2"));
        using var visitor = StaffSession.Anonymous(node);

        var first = await SendAsync(visitor, Form(), "kk");
        var second = await SendAsync(visitor, Form(), "kk");
        var third = await SendAsync(visitor, Form(), "kk");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        var page = await StaffSession.HtmlAsync(third);
        Assert.Equal(Texts.Get("replies.limit.title", "kk"), page.ByTestId("reply-limit").Text());
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM business_replies"));
    }

    [Fact]
    public async Task Publish_AHostileStatement_ShowsItAsTextBesideItsWeek_InThePageTheApiAndTheFeed_WithItsAuditRow()
    {
        var id = await SubmitAsync(Hostile);
        using var staff = await StaffSession.SignedInAsync(factory, "moderator@ashyq.local");

        var list = await staff.PageAsync("/staff/replies");
        Assert.Equal("pending", list.ByTestId("staff-reply").GetAttribute("data-state"));
        Assert.Equal("aigul@example.kz", list.ByTestId("reply-email").Text());
        var published = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/publish", []);

        Assert.Equal("/staff/replies?done=published", published.Headers.Location!.OriginalString);
        Assert.Equal(
            $"moderator@ashyq.local|reply {id}|business {Bin}, week {Week}",
            await ScalarAsync<string>("SELECT actor || '|' || subject || '|' || details FROM audit_log WHERE action = 'reply.publish'"));
        var audit = await staff.PageAsync("/staff/audit?lang=en");
        Assert.Contains(audit.AllByTestId("audit-sentence"), e => e.Text() == $"Published reply {id} of the business {Bin} on the week of {Week}.");

        var html = await WaitForAsync($"/business/{Bin}?lang=en", body => body.Contains("data-testid=\"reply\"", StringComparison.Ordinal));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var reply = page.ByTestId("reply");
        Assert.Equal(Week, reply.GetAttribute("data-week"));
        Assert.Equal(Hostile, reply.QuerySelector("[data-testid=reply-text]")!.TextContent);
        Assert.Empty(reply.QuerySelectorAll("script"));
        Assert.Contains("The business's own statement", reply.TextContent, StringComparison.Ordinal);
        Assert.Contains("Айгүл Серікқызы", reply.TextContent, StringComparison.Ordinal);
        Assert.Equal(Texts.Get("business.reply.unverified", "en"), reply.QuerySelector("[data-testid=reply-unverified]")!.TextContent);
        Assert.DoesNotContain("aigul@example.kz", html, StringComparison.Ordinal);
        // Beside its week: the row that follows the week's own row.
        Assert.Equal(Week, reply.PreviousElementSibling!.GetAttribute("data-week"));

        var api = await factory.CreateClient().GetStringAsync($"/api/v1/businesses/{Bin}");
        Assert.DoesNotContain("<script>", api, StringComparison.Ordinal);
        Assert.DoesNotContain("aigul@example.kz", api, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(api);
        var replies = json.RootElement.GetProperty("replies");
        Assert.Equal(1, replies.GetArrayLength());
        Assert.Equal(Hostile, replies[0].GetProperty("text").GetString());
        Assert.Equal(Week, replies[0].GetProperty("week").GetString());
        Assert.False(replies[0].GetProperty("verified").GetBoolean());
        Assert.True(replies[0].TryGetProperty("date", out _));
        Assert.False(json.RootElement.GetProperty("underReview").GetBoolean());

        var feed = await factory.CreateClient().GetStringAsync($"/business/{Bin}/feed.atom?lang=en");
        Assert.DoesNotContain("<script>", feed, StringComparison.Ordinal);
        var atom = XDocument.Parse(feed);
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var entry = atom.Descendants(ns + "entry").Single(e => e.Element(ns + "id")!.Value.EndsWith($"#reply-{id}", StringComparison.Ordinal));
        Assert.Equal("text", entry.Element(ns + "summary")!.Attribute("type")!.Value);
        Assert.Contains(Hostile, entry.Element(ns + "summary")!.Value, StringComparison.Ordinal);
        Assert.Contains("not verified", entry.Element(ns + "summary")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_WithAReason_KeepsTheReplyOffThePage_AndWritesTheReasonToTheAuditLog_WithoutAReasonIsRefused()
    {
        var id = await SubmitAsync("Мы не согласны.");
        using var staff = await StaffSession.SignedInAsync(factory, "moderator@ashyq.local");

        var bare = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/reject", new() { ["reason"] = "  " });
        var rejected = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/reject", new() { ["reason"] = "Оскорбительный текст" });
        var again = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/publish", []);

        Assert.Equal("/staff/replies?problem=reason", bare.Headers.Location!.OriginalString);
        Assert.Equal("/staff/replies?done=rejected", rejected.Headers.Location!.OriginalString);
        Assert.Equal("/staff/replies?problem=decided", again.Headers.Location!.OriginalString);
        Assert.Equal("rejected", await ScalarAsync<string>($"SELECT state FROM business_replies WHERE id = {id}"));
        Assert.Equal($"business {Bin}, week {Week}; reason: Оскорбительный текст",
            await ScalarAsync<string>("SELECT details FROM audit_log WHERE action = 'reply.reject'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action LIKE 'reply.%'"));
        Assert.Empty((await PublicPageAsync($"/business/{Bin}")).AllByTestId("reply"));
        Assert.Equal("[]", JsonDocument.Parse(await factory.CreateClient().GetStringAsync($"/api/v1/businesses/{Bin}")).RootElement.GetProperty("replies").GetRawText());
    }

    [Fact]
    public async Task Review_ShowsOnThePageTheBadgeAndTheApi_UntilStaffCloseIt_EachStepAudited()
    {
        var id = await SubmitAsync("Проверьте, пожалуйста, наш статус.");
        using var staff = await StaffSession.SignedInAsync(factory, "moderator@ashyq.local");

        var opened = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/review", []);
        var twice = await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/review", []);

        Assert.Equal("/staff/replies?done=review-opened", opened.Headers.Location!.OriginalString);
        Assert.Equal("/staff/replies?problem=review-exists", twice.Headers.Location!.OriginalString);
        Assert.Equal($"moderator@ashyq.local|business {Bin}|after reply {id}",
            await ScalarAsync<string>("SELECT actor || '|' || subject || '|' || details FROM audit_log WHERE action = 'review.open'"));
        await WaitForAsync($"/business/{Bin}?lang=en", body => body.Contains("data-testid=\"under-review\"", StringComparison.Ordinal));
        var badge = await factory.CreateClient().GetStringAsync($"/business/{Bin}/badge.svg?lang=en");
        Assert.Contains(Texts.Get("status.outsider", "en") + " · under review", badge, StringComparison.Ordinal);
        using (var api = JsonDocument.Parse(await factory.CreateClient().GetStringAsync($"/api/v1/businesses/{Bin}")))
        {
            Assert.True(api.RootElement.GetProperty("underReview").GetBoolean());
            Assert.Equal(JsonValueKind.String, api.RootElement.GetProperty("underReviewSince").ValueKind);
        }

        var list = await staff.PageAsync("/staff/replies");
        var close = list.ByTestId("review").QuerySelector("form")!.GetAttribute("action")!;
        var closed = await staff.PostFormAsync("/staff/replies", close, []);

        Assert.Equal("/staff/replies?done=review-closed", closed.Headers.Location!.OriginalString);
        Assert.Equal($"business {Bin}", await ScalarAsync<string>("SELECT subject FROM audit_log WHERE action = 'review.close'"));
        await WaitForAsync($"/business/{Bin}?lang=en", body => !body.Contains("data-testid=\"under-review\"", StringComparison.Ordinal));
        Assert.DoesNotContain("under review", await factory.CreateClient().GetStringAsync($"/business/{Bin}/badge.svg?lang=en"), StringComparison.Ordinal);
        using var after = JsonDocument.Parse(await factory.CreateClient().GetStringAsync($"/api/v1/businesses/{Bin}"));
        Assert.False(after.RootElement.GetProperty("underReview").GetBoolean());
    }

    [Fact]
    public async Task Publish_DropsTheCachedPage_AndItsValidatorsNoLongerMatch()
    {
        var id = await SubmitAsync("Мы сканировали каждого посетителя.");
        var client = factory.CreateClient();
        var before = await client.GetAsync($"/business/{Bin}");
        var etag = before.Headers.ETag!;
        var lastModified = before.Content.Headers.LastModified!.Value;
        // Twice: the second answer comes from the output cache.
        Assert.Equal(etag, (await client.GetAsync($"/business/{Bin}")).Headers.ETag);
        // A reply published within the same second as the week would leave Last-Modified where it was.
        await Task.Delay(1100);

        using var staff = await StaffSession.SignedInAsync(factory, "moderator@ashyq.local");
        await staff.PostFormAsync("/staff/replies", $"/staff/replies/{id}/publish", []);
        await WaitForAsync($"/business/{Bin}", body => body.Contains("data-testid=\"reply\"", StringComparison.Ordinal));

        using var byTag = new HttpRequestMessage(HttpMethod.Get, $"/business/{Bin}");
        byTag.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(byTag)).StatusCode);
        using var byDate = new HttpRequestMessage(HttpMethod.Get, $"/business/{Bin}");
        byDate.Headers.IfModifiedSince = lastModified;
        var fresh = await client.SendAsync(byDate);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.True(fresh.Content.Headers.LastModified > lastModified);
    }

    [Fact]
    public async Task ContactEmail_OfAReplyDecidedLongerAgoThanTheKeepingPeriod_IsCleared_OthersAreKept()
    {
        await using (var connection = new NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO business_replies (bin, week_start, author_name, author_role, contact_email, statement, language, state, decided_at, decided_by)
                VALUES ('{Bin}', '{Week}', 'А', 'Б', 'old@example.kz', 'старый', 'ru', 'published', now() - interval '366 days', 'x'),
                       ('{Bin}', '{Week}', 'А', 'Б', 'recent@example.kz', 'новый', 'ru', 'rejected', now() - interval '364 days', 'x'),
                       ('{Bin}', '{Week}', 'А', 'Б', 'pending@example.kz', 'ждёт', 'ru', 'pending', NULL, NULL)
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }
        using var staff = await StaffSession.SignedInAsync(factory, "moderator@ashyq.local");

        var page = await staff.PageAsync("/staff/replies");

        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM business_replies WHERE contact_email IS NOT NULL"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM business_replies WHERE contact_email = 'old@example.kz'"));
        Assert.Contains(page.AllByTestId("reply-email"), e => e.Text() == Texts.Get("staff.replies.emailCleared", "ru"));
        Assert.Equal("pending", page.AllByTestId("staff-reply")[0].GetAttribute("data-state"));
    }

    private static Dictionary<string, string> Form(string statement = "Мы не согласны со статусом.") => new()
    {
        ["Name"] = "Айгүл Серікқызы",
        ["Role"] = "директор",
        ["Email"] = "aigul@example.kz",
        ["Week"] = Week,
        ["Statement"] = statement,
        ["Website"] = "",
    };

    private static Task<HttpResponseMessage> SendAsync(StaffSession visitor, Dictionary<string, string> form, string language = "ru") =>
        visitor.PostFormAsync($"/business/{Bin}/reply?lang={language}", $"/business/{Bin}/reply?lang={language}", form);

    private async Task<long> SubmitAsync(string statement)
    {
        using var visitor = StaffSession.Anonymous(factory);
        var sent = await SendAsync(visitor, Form(statement));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        return await ScalarAsync<long>("SELECT max(id) FROM business_replies");
    }

    private async Task<IDocument> PublicPageAsync(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await StaffSession.HtmlAsync(response);
    }

    /// <summary>The cached page changes once every node hears of the change; the notification takes a moment.</summary>
    private async Task<string> WaitForAsync(string url, Func<string, bool> shows)
    {
        var client = factory.CreateClient();
        var body = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            body = await client.GetStringAsync(url);
            if (shows(body))
                return body;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} did not change within 10 s:\n{body}");
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
