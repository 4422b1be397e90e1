using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Npgsql;

namespace Ashyq.Registry.BrowserTests;

/// <summary>
/// The follow pages in each language on a 360 px phone: the form blank and with its errors, the page a
/// confirmation link opens, the unsubscribe page and what follows its button, and staff's mail page;
/// each passes the accessibility scan and fits the screen.
/// </summary>
[Collection(MailSiteCollection.Name)]
public sealed partial class FollowPagesTests(MailSiteFixture site)
{
    public static TheoryData<string> Languages() => new() { "ru", "kk", "en" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task FollowPages_OnAPhone_HaveNoAccessibilityViolations_AndFitTheScreen(string language)
    {
        var page = await site.NewPageAsync(phone: true, viewport: new ViewportSize { Width = PhoneLayoutTests.Width, Height = PhoneLayoutTests.Height });
        var faults = new List<string>();

        var blank = await page.GotoAsync($"/follow?lang={language}");
        Assert.Equal(200, blank!.Status);
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        await CheckAsync(page, "follow", language, faults);

        await page.Locator("#follow-email").FillAsync($"pages-{language}@example.kz");
        await page.Locator("#follow-business").FillAsync("123");
        await page.GetByTestId("follow-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("follow-errors")).ToBeVisibleAsync();
        await CheckAsync(page, "follow-errors", language, faults);

        var email = $"pages-{language}-{Guid.NewGuid():N}@example.kz";
        await page.GotoAsync($"/follow?lang={language}");
        await page.Locator("#follow-email").FillAsync(email);
        await page.Locator("input[name=kind][value=category]").CheckAsync();
        await page.GetByTestId("follow-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "sent");
        await CheckAsync(page, "follow-sent", language, faults);

        var confirmation = await MailToAsync(site, email);
        await page.GotoAsync(LinkIn(confirmation, "/follow/confirm"));
        await Assertions.Expect(page.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "confirmed");
        await CheckAsync(page, "follow-confirmed", language, faults);

        var invalid = await page.GotoAsync($"/follow/confirm?token=no-such-token&lang={language}");
        Assert.Equal(404, invalid!.Status);
        await CheckAsync(page, "follow-confirm-invalid", language, faults);

        var (id, token) = await UnsubscribeOfAsync(site, email);
        await page.GotoAsync($"/follow/unsubscribe?id={id}&token={Uri.EscapeDataString(token)}&lang={language}");
        await Assertions.Expect(page.GetByTestId("unsubscribe-form")).ToBeVisibleAsync();
        await CheckAsync(page, "follow-unsubscribe", language, faults);
        await page.GetByTestId("unsubscribe-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "unsubscribed");
        await CheckAsync(page, "follow-unsubscribed", language, faults);

        await page.GotoAsync($"/staff/login?lang={language}");
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal));
        var mail = await page.GotoAsync($"/staff/mail?lang={language}");
        Assert.Equal(200, mail!.Status);
        await CheckAsync(page, "staff-mail", language, faults);

        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    /// <summary>The page's accessibility violations and layout faults, each named with the page, added to the list.</summary>
    private static async Task CheckAsync(IPage page, string name, string language, List<string> faults)
    {
        var violations = await Accessibility.ScanAsync(page);
        if (violations.Count > 0)
            faults.Add($"{name} ({language}): {Accessibility.Describe(violations)}");
        faults.AddRange((await PhoneLayoutTests.LayoutFaultsAsync(page)).Select(f => $"{name} ({language}): {f}"));
        await PhoneLayoutTests.ScreenshotAsync(page, name, language);
    }

    /// <summary>The first message the mail server took for the address, waiting for it up to 30 s.</summary>
    internal static async Task<MimeMessage> MailToAsync(MailSiteFixture site, string address, int skip = 0)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var message = site.Mail.Messages().Where(m => m.To.Mailboxes.Any(b => b.Address == address)).Skip(skip).FirstOrDefault();
            if (message is not null)
                return message;
            await Task.Delay(100);
        }
        throw new TimeoutException($"No email reached {address}.");
    }

    /// <summary>The path and query of the first link in the text that leads to the given address.</summary>
    internal static string LinkIn(MimeMessage message, string path) =>
        Links().Matches(message.TextBody ?? "").Select(m => new Uri(m.Value)).First(u => u.AbsolutePath == path).PathAndQuery;

    private static async Task<(long Id, string Token)> UnsubscribeOfAsync(MailSiteFixture site, string email)
    {
        await using var connection = new NpgsqlConnection(site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, unsubscribe_token FROM followers WHERE email = $1", connection);
        command.Parameters.Add(new() { Value = email });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{email} is not a follower.");
        return (reader.GetInt64(0), reader.GetString(1));
    }

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex Links();
}
