using System.Net;
using Ashyq.Registry.Web.Features.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>When a staff session ends: a copy of its cookie, replayed after each way a session should end.</summary>
public sealed class StaffSessionTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Logout_TheCookieSavedBefore_IsRefusedAtOnce()
    {
        await StaffSession.CreateAccountAsync(factory, "aigerim@ashyq.local", admin: false);
        using var session = StaffSession.Anonymous(factory);
        var saved = StaffCookie(await session.SignInAsync("aigerim@ashyq.local", StaffSession.Password));
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(saved)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await session.PostFormAsync("/staff/imports", "/staff/logout", [])).StatusCode);
        var replayed = await ReplayAsync(saved);

        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/staff/login", replayed.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task DisablingAnAccount_EndsItsOpenSession_AtOnce()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);
        await StaffSession.CreateAccountAsync(factory, "gone@ashyq.local", admin: false);
        using var staff = StaffSession.Anonymous(factory);
        var saved = StaffCookie(await staff.SignInAsync("gone@ashyq.local", StaffSession.Password));
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(saved)).StatusCode);

        var id = await UserIdAsync("gone@ashyq.local");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/disable", [])).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await ReplayAsync(saved)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.Client.GetAsync("/staff/imports")).StatusCode);
    }

    [Fact]
    public async Task ChangingThePassword_EndsTheAccountsOtherSessions_AtOnce_AndKeepsThisOne()
    {
        using var here = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        using var elsewhere = StaffSession.Anonymous(factory);
        var saved = StaffCookie(await elsewhere.SignInAsync("aigerim@ashyq.local", StaffSession.Password));
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(saved)).StatusCode);

        var changed = await here.PostFormAsync("/staff/account/password", "/staff/account/password", new()
        {
            ["CurrentPassword"] = StaffSession.Password,
            ["NewPassword"] = "Another-Quiet-Monday-7",
            ["ConfirmPassword"] = "Another-Quiet-Monday-7",
        });

        Assert.NotNull((await StaffSession.HtmlAsync(changed)).QuerySelector("[data-testid=password-changed]"));
        Assert.Equal(HttpStatusCode.Redirect, (await ReplayAsync(saved)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.Client.GetAsync("/staff/imports")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.Client.GetAsync("/staff/imports")).StatusCode);
    }

    [Fact]
    public async Task Session_LastsEightHoursFromSignIn_AndUseDoesNotExtendIt()
    {
        await StaffSession.CreateAccountAsync(factory, "aigerim@ashyq.local", admin: false);
        using var session = StaffSession.Anonymous(factory);
        var cookie = StaffCookie(await session.SignInAsync("aigerim@ashyq.local", StaffSession.Password));
        var format = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;
        var ticket = format.Unprotect(cookie)!;
        Assert.Equal(TimeSpan.FromHours(8), ticket.Properties.ExpiresUtc - ticket.Properties.IssuedUtc);

        // The same session seven hours on: used now, it must still end an hour from now.
        var now = DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = now.AddHours(-7), ExpiresUtc = now.AddHours(1) };
        var late = format.Protect(new AuthenticationTicket(ticket.Principal, properties, ticket.AuthenticationScheme));
        var used = await ReplayAsync(late);
        var expired = format.Protect(new AuthenticationTicket(ticket.Principal,
            new AuthenticationProperties { IssuedUtc = now.AddHours(-8).AddMinutes(-1), ExpiresUtc = now.AddMinutes(-1) }, ticket.AuthenticationScheme));

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.DoesNotContain(used.Headers.TryGetValues("Set-Cookie", out var set) ? set : [],
            c => c.StartsWith(StaffArea.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await ReplayAsync(expired)).StatusCode);
    }

    /// <summary>A request carrying only the given staff cookie, as a copy of it kept elsewhere would.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri("https://localhost"),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/imports");
        request.Headers.Add("Cookie", $"{StaffArea.CookieName}={cookie}");
        return await client.SendAsync(request);
    }

    private static string StaffCookie(HttpResponseMessage signIn)
    {
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var header = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffArea.CookieName + "=", StringComparison.Ordinal));
        return header[(StaffArea.CookieName.Length + 1)..header.IndexOf(';', StringComparison.Ordinal)];
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM staff_users WHERE "Email" = $1""", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
