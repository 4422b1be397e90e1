using System.Net;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Shared;
using Ashyq.Registry.Web.Features.Staff;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Aliases, accounts, the jobs page and the audit log, as an administrator uses them.</summary>
public sealed class StaffAdministrationTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Alias_PreviewShowsTheEffect_ThenSavingRemapsStoredRowsAndRecounts_AndRemovingUndoesIt()
    {
        var export = new ExportBuilder().Row(ExportBuilder.BinFor(1), "участник", category: "Баня «Жар»").Row(ExportBuilder.BinFor(2), "лидер", category: "Баня");
        for (var n = 10; n < 30; n++)
            export.Row(ExportBuilder.BinFor(n), "участник");
        await factory.ImportAsync(export.ToBytes(), Week);
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);

        var preview = await admin.PageAsync("/staff/aliases/preview?alias=%20БАНЯ%20&category=leisure");
        var unchanged = await CountAsync($"SELECT count(*) FROM week_rows WHERE category_code = 'leisure'");
        var saved = await admin.PostFormAsync("/staff/aliases/preview?alias=%20БАНЯ%20&category=leisure", "/staff/aliases", new() { ["alias"] = "баня", ["category"] = "leisure" });

        Assert.Equal(2, preview.QuerySelectorAll("[data-testid=alias-effect] tbody tr[data-to=leisure]").Length);
        Assert.Equal(0L, unchanged);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM week_rows WHERE category_code = 'leisure'"));
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM businesses WHERE category_code = 'leisure'"));
        Assert.Equal(2L, await CountAsync($"SELECT participants::bigint FROM week_counts WHERE week_start = '{Week}' AND dimension = 'category' AND code = 'leisure'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'alias.add' AND actor = 'admin@ashyq.local'"));

        var id = await CountAsync("SELECT id FROM category_aliases WHERE alias = 'баня'");
        var removal = await admin.PageAsync($"/staff/aliases/{id}/remove");
        await admin.PostFormAsync($"/staff/aliases/{id}/remove", $"/staff/aliases/{id}/remove", []);

        Assert.Equal(2, removal.QuerySelectorAll("[data-testid=alias-effect] tbody tr[data-to=other]").Length);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM week_rows WHERE category_code = 'leisure'"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM week_counts WHERE week_start = '{Week}' AND dimension = 'category' AND code = 'leisure'"));
    }

    [Fact]
    public async Task Accounts_CreateDisableEnableResetAndPromote_EachTakesEffectAndIsAudited()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);

        var created = await admin.PostFormAsync("/staff/accounts", "/staff/accounts", new() { ["email"] = "new@ashyq.local", ["role"] = "Staff" });
        var password = (await StaffSession.HtmlAsync(created)).QuerySelector("[data-testid=new-password]")!.TextContent;
        using var newcomer = StaffSession.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.SignInAsync("new@ashyq.local", password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.Client.GetAsync("/staff/aliases")).StatusCode);

        var id = await IdOfAsync("new@ashyq.local");
        await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/disable", []);
        using var refused = StaffSession.Anonymous(factory);
        Assert.Equal(HttpStatusCode.BadRequest, (await refused.SignInAsync("new@ashyq.local", password)).StatusCode);

        await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/enable", []);
        var reset = await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/reset-password", []);
        var newPassword = (await StaffSession.HtmlAsync(reset)).QuerySelector("[data-testid=new-password]")!.TextContent;
        await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/role", new() { ["role"] = "Admin" });

        using var promoted = StaffSession.Anonymous(factory);
        Assert.Equal(HttpStatusCode.BadRequest, (await promoted.SignInAsync("new@ashyq.local", password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await promoted.SignInAsync("new@ashyq.local", newPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await promoted.Client.GetAsync("/staff/aliases")).StatusCode);
        Assert.Equal(5L, await CountAsync(
            "SELECT count(*) FROM audit_log WHERE actor = 'admin@ashyq.local' AND action IN ('account.create', 'account.disable', 'account.enable', 'account.reset-password', 'account.role')"));
    }

    [Fact]
    public async Task Accounts_AdminCannotDisableThemselves()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);

        var response = await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{await IdOfAsync("admin@ashyq.local")}/disable", []);

        Assert.Contains("problem=self", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM staff_users WHERE \"IsDisabled\""));
    }

    [Fact]
    public async Task Jobs_ShowsThisNodeOfTheCluster_AndTheInboxState()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var page = await staff.PageAsync("/staff/jobs");

        Assert.NotNull(page.QuerySelector("[data-testid=cluster-nodes] tr[data-current=true]"));
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-testid=inbox-next-scan]")!.TextContent));
    }

    [Fact]
    public async Task Audit_FiltersByAction_AndItsCsvDefusesFormulas()
    {
        using var attacker = StaffSession.Anonymous(factory);
        await attacker.SignInAsync("=1+2@evil.test", "whatever-it-is");
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var page = await staff.PageAsync("/staff/audit?action=staff.sign-in-failed");
        var csv = await staff.Client.GetStringAsync("/staff/audit.csv?action=staff.sign-in-failed");

        var rows = page.QuerySelectorAll("[data-testid=audit-row]");
        Assert.Single(rows);
        Assert.Equal("staff.sign-in-failed", rows[0].GetAttribute("data-action"));
        Assert.Contains(";'=1+2@evil.test;", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("staff.sign-in;", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+7 701", "'+7 701")]
    [InlineData("-1", "-1")]
    [InlineData("-3", "-3")]
    [InlineData("+12,5", "+12,5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData("-3+2", "'-3+2")]
    [InlineData("-1,", "'-1,")]
    [InlineData("-", "'-")]
    [InlineData("+A1", "'+A1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("Кафе; бар", "\"Кафе; бар\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("plain", "plain")]
    public void CsvCell_DefusesFormulasAndQuotesSeparators(string value, string expected) =>
        Assert.Equal(expected, CsvDownload.Cell(value));

    private async Task<string> IdOfAsync(string email)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Id\" FROM staff_users WHERE \"Email\" = $1", connection) { Parameters = { new() { Value = email } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
