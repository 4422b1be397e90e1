using System.Net;
using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Data;
using Ashyq.Registry.Web.Features.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Who may reach the staff area: every route is enumerated from the app itself, so a new action is covered too.</summary>
public sealed partial class StaffAccessTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryStaffRoute_Anonymous_IsSentToSignIn()
    {
        using var anonymous = StaffSession.Anonymous(factory);
        var routes = StaffRoutes().Where(r => r.Path != "/staff/login").ToList();
        Assert.True(routes.Count > 20, $"only {routes.Count} staff routes were found");

        foreach (var (method, path, _) in routes)
        {
            var response = await anonymous.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("/staff/login", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task EveryAdminRoute_StaffRole_IsRefused()
    {
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local", admin: false);
        var routes = StaffRoutes().Where(r => r.AdminOnly).ToList();
        Assert.Contains(routes, r => r.Path.StartsWith("/staff/aliases", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path.StartsWith("/staff/accounts", StringComparison.Ordinal));
        Assert.True(routes.Count > 5, $"only {routes.Count} administrators' routes were found");

        foreach (var (method, path, _) in routes)
        {
            var response = await staff.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("/staff/denied", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task EveryStaffPost_WithoutAntiforgeryToken_IsRejected()
    {
        using var admin = await StaffSession.SignedInAsync(factory, "admin@ashyq.local", admin: true);

        var posts = StaffRoutes().Where(r => r.Method == "POST").ToList();
        Assert.Equal(20, posts.Count);
        foreach (var (_, path, _) in posts)
        {
            var response = await admin.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "x" }));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path}: {response.StatusCode}");
        }
        var upload = await admin.UploadAsync(new Testing.ExportBuilder().Row(Testing.ExportBuilder.BinFor(1), "лидер").ToBytes(), "e.csv", "2021-07-19", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM imports"));
    }

    [Fact]
    public async Task SignIn_Succeeds_WithASecureHttpOnlyStrictCookie_AndIsAudited()
    {
        await StaffSession.CreateAccountAsync(factory, "aigerim@ashyq.local", admin: false);
        using var session = StaffSession.Anonymous(factory);

        var response = await session.SignInAsync("aigerim@ashyq.local", StaffSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffArea.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/staff/imports")).StatusCode);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'staff.sign-in' AND actor = 'aigerim@ashyq.local'"));
    }

    [Fact]
    public async Task SignIn_DisabledAccount_IsRefused()
    {
        await StaffSession.CreateAccountAsync(factory, "gone@ashyq.local", admin: false);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync("gone@ashyq.local"))!;
            user.IsDisabled = true;
            await users.UpdateAsync(user);
        }
        using var session = StaffSession.Anonymous(factory);

        var response = await session.SignInAsync("gone@ashyq.local", StaffSession.Password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await session.Client.GetAsync("/staff/imports")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_ThenSignOut_NewPasswordSignsIn()
    {
        using var session = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local");
        const string newPassword = "Another-Quiet-Monday-7";

        var changed = await session.PostFormAsync("/staff/account/password", "/staff/account/password", new()
        {
            ["CurrentPassword"] = StaffSession.Password,
            ["NewPassword"] = newPassword,
            ["ConfirmPassword"] = newPassword,
        });
        var signedOut = await session.PostFormAsync("/staff/imports", "/staff/logout", []);

        Assert.NotNull((await StaffSession.HtmlAsync(changed)).QuerySelector("[data-testid=password-changed]"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await session.Client.GetAsync("/staff/imports")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.SignInAsync("aigerim@ashyq.local", StaffSession.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync("aigerim@ashyq.local", newPassword)).StatusCode);
    }

    /// <summary>Every staff route of the running app with a sample path: its method, path and whether it is for administrators only.</summary>
    private List<(string Method, string Path, bool AdminOnly)> StaffRoutes()
    {
        using var warmUp = factory.CreateClient();
        var routes = new List<(string, string, bool)>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText?.TrimStart('/') ?? "";
            if (!pattern.StartsWith("staff", StringComparison.Ordinal))
                continue;
            var path = "/" + Parameter().Replace(pattern, m => m.Groups[1].Value switch
            {
                "id" => "1",
                "week" => "2021-07-19",
                _ => "x",
            });
            var adminOnly = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == StaffRoles.AdminPolicy);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                routes.Add((method, path, adminOnly));
        }
        return routes;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex Parameter();
}
