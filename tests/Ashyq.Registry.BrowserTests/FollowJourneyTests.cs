using Ashyq.Registry.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace Ashyq.Registry.BrowserTests;

/// <summary>
/// A resident on a phone, in Kazakh, follows a business from its page and confirms from the email; staff
/// publish a week in which it became an outsider; the change email arrives in Kazakh with the week and a
/// link to the business's page; its unsubscribe link is used in the browser, and the next publish mails nobody.
/// </summary>
[Collection(MailSiteCollection.Name)]
public sealed class FollowJourneyTests(MailSiteFixture site)
{
    [Fact]
    public async Task Resident_InKazakh_OnAPhone_FollowsABusiness_HearsOfItsChange_AndUnsubscribes()
    {
        var (bin, pageId, lastWeek) = await LeaderOfTheLastWeekAsync();
        var changed = lastWeek.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var next = lastWeek.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var email = $"journey-{Guid.NewGuid():N}@example.kz";
        var files = new List<string>();
        try
        {
            var resident = await site.NewPageAsync(phone: true, locale: "kk-KZ",
                viewport: new ViewportSize { Width = PhoneLayoutTests.Width, Height = PhoneLayoutTests.Height });
            await resident.GotoAsync($"/business/{pageId}?lang=kk");
            await resident.GetByTestId("business-follow-email").ClickAsync();
            await resident.WaitForURLAsync(url => url.Contains("/follow", StringComparison.Ordinal));
            Assert.Equal("kk", await resident.GetAttributeAsync("html", "lang"));
            await Assertions.Expect(resident.GetByTestId("follow-business-name")).ToBeVisibleAsync();
            await resident.Locator("#follow-email").FillAsync(email);
            await resident.GetByTestId("follow-submit").ClickAsync();
            await Assertions.Expect(resident.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "sent");

            var confirmation = await FollowPagesTests.MailToAsync(site, email);
            Assert.Equal("Ashyq: жазылымды растаңыз", confirmation.Subject);
            await resident.GotoAsync(FollowPagesTests.LinkIn(confirmation, "/follow/confirm"));
            await Assertions.Expect(resident.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "confirmed");

            var staff = await SignedInAsync();
            await PublishAsync(staff, Week(bin, "аутсайдер", files), changed);

            var change = await FollowPagesTests.MailToAsync(site, email, skip: 1);
            Assert.Equal($"Ashyq: {changed} аптасындағы өзгерістер", change.Subject);
            Assert.Contains($"{changed} аптасы жарияланды", change.TextBody, StringComparison.Ordinal);
            Assert.Contains("аутсайдер", change.TextBody, StringComparison.Ordinal);
            Assert.Contains($"{site.BaseUrl}/business/{pageId}?lang=kk", change.TextBody, StringComparison.Ordinal);
            Assert.Contains("List-Unsubscribe=One-Click", change.Headers["List-Unsubscribe-Post"], StringComparison.Ordinal);

            await resident.GotoAsync(FollowPagesTests.LinkIn(change, "/follow/unsubscribe"));
            Assert.Equal("kk", await resident.GetAttributeAsync("html", "lang"));
            await resident.GetByTestId("unsubscribe-submit").ClickAsync();
            await Assertions.Expect(resident.GetByTestId("follow-outcome")).ToHaveAttributeAsync("data-outcome", "unsubscribed");

            // The business changes again, and the week's mailing finishes without a word to the address.
            await PublishAsync(staff, Week(bin, "лидер", files), next);
            await WaitForMailingAsync(next);
            Assert.Equal(2, site.Mail.Messages().Count(m => m.To.Mailboxes.Any(b => b.Address == email)));
        }
        finally
        {
            foreach (var file in files)
                File.Delete(file);
        }
    }

    /// <summary>A legal entity among the leaders of the last published demo week, its page's id and that week.</summary>
    private async Task<(string Bin, string PageId, DateOnly Week)> LeaderOfTheLastWeekAsync()
    {
        await using var connection = new NpgsqlConnection(site.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.bin, coalesce(p.public_id, r.bin), r.week_start FROM week_rows r LEFT JOIN business_public_ids p ON p.bin = r.bin
            WHERE r.week_start = (SELECT max(week_start) FROM weeks WHERE status = 'published') AND r.status = 'leader'
            ORDER BY r.bin LIMIT 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The demo's last week has no leader.");
        return (reader.GetString(0).Trim(), reader.GetString(1).Trim(), reader.GetFieldValue<DateOnly>(2));
    }

    private async Task WaitForMailingAsync(string week)
    {
        await using var connection = new NpgsqlConnection(site.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            await using var command = new NpgsqlCommand("SELECT done_at IS NOT NULL FROM follow_mailings WHERE week_start = $1::date", connection);
            command.Parameters.Add(new() { Value = week });
            if (await command.ExecuteScalarAsync() is true)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The follow emails of {week} were not done.");
    }

    private async Task<IPage> SignedInAsync()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/staff/login?lang=kk");
        await page.Locator("input[name=Email]").FillAsync(SiteFixture.StaffEmail);
        await page.Locator("input[name=Password]").FillAsync(SiteFixture.StaffPassword);
        await page.GetByTestId("login-form").Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/staff/login", StringComparison.Ordinal), new() { Timeout = 60_000 });
        return page;
    }

    /// <summary>The file uploaded through the staff pages, reviewed with its warnings confirmed, and published.</summary>
    private static async Task PublishAsync(IPage staff, string file, string week)
    {
        await staff.GotoAsync("/staff/imports/new");
        await staff.Locator("input[name=File]").SetInputFilesAsync(file);
        await staff.Locator("input[name=WeekStart]").FillAsync(week);
        await staff.GetByTestId("upload-form").Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("import-loaded")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await staff.GotoAsync($"/staff/weeks/{week}");
        if (await staff.GetByTestId("acknowledge").CountAsync() > 0)
            await staff.GetByTestId("acknowledge").CheckAsync();
        await staff.GetByTestId("publish-button").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("week-done")).ToContainTextAsync("Апта жарияланды");
    }

    /// <summary>A small week with the followed business in the given status beside a few other cafes.</summary>
    private static string Week(string bin, string status, List<string> files)
    {
        var export = new ExportBuilder().Row(bin, status, name: "Кафе «Бақылау»", scans: status == "лидер" ? 900 : 3);
        for (var n = 1; n <= 5; n++)
            export.Row(ExportBuilder.BinFor(950_000 + n), "участник", name: $"Кафе «Көрші {n}»");
        var file = Path.Combine(Path.GetTempPath(), $"ashyq-follow-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(file, export.ToBytes());
        files.Add(file);
        return file;
    }
}
