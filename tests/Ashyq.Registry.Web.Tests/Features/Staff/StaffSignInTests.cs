using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Net;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Staff;
using Ashyq.Registry.Web.Tests.Infrastructure;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>
/// What sign-in tells a stranger: nothing about which emails are accounts, in its words or its timing;
/// how many guesses one address gets; and that no address alone can pause someone else's account.
/// </summary>
public sealed class StaffSignInTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Known = "aigerim@ashyq.local";
    private const string Unknown = "nobody@ashyq.local";
    private readonly List<RegistryNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    [Fact]
    public async Task SignIn_UnknownEmailAndWrongPassword_GetTheSameAnswer_InAboutTheSameTime()
    {
        // Each attempt from an address of its own, so that neither limit is reached while timing.
        var node = await NodeAsync(new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["Staff:SignInPermitLimit"] = "1000",
            ["Staff:LockoutFailures"] = "1000000",
        });
        await StaffSession.CreateAccountAsync(node, Known, admin: false);
        using var session = StaffSession.Anonymous(node);
        var address = 0;
        async Task<(TimeSpan Time, HttpStatusCode Status, string Message)> AttemptAsync(string email)
        {
            var token = await session.TokenAsync("/staff/login?lang=en");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/staff/login?lang=en")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Email"] = email,
                    ["Password"] = "Not-The-Password-1",
                    [StaffSession.TokenField] = token,
                }),
            };
            request.Headers.Add("X-Forwarded-For", $"10.1.{++address / 250}.{address % 250 + 1}");
            var clock = Stopwatch.StartNew();
            var response = await session.Client.SendAsync(request);
            clock.Stop();
            var message = (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=login-problem]")?.TextContent.Trim() ?? "";
            return (clock.Elapsed, response.StatusCode, message);
        }

        await AttemptAsync(Known);
        await AttemptAsync(Unknown);
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        for (var round = 0; round < 11; round++)
        {
            var k = await AttemptAsync(Known);
            var u = await AttemptAsync(Unknown);
            Assert.Equal(HttpStatusCode.BadRequest, k.Status);
            Assert.Equal(k.Status, u.Status);
            Assert.Equal(k.Message, u.Message);
            Assert.StartsWith("Sign-in failed", k.Message, StringComparison.Ordinal);
            known.Add(k.Time);
            unknown.Add(u.Time);
        }

        var ratio = Median(known) / Median(unknown);
        output.WriteLine($"median sign-in answer: known email {Median(known).TotalMilliseconds:F0} ms, unknown email {Median(unknown).TotalMilliseconds:F0} ms");
        // Both hash a password (some 100 ms or more); a wrong password also records the failure, two
        // statements more, which on a loaded machine can weigh. Without the hash the ratio was above ten.
        Assert.True(ratio is > 0.4 and < 2.5,
            $"median time with a known email {Median(known).TotalMilliseconds:F0} ms, with an unknown one {Median(unknown).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task SignIn_FailuresFromThreeAddresses_PauseTheAccount_AndThePauseReadsLikeAWrongPassword()
    {
        // Two attempts per address, five failures pause: only several addresses together can pause an account.
        var node = await NodeAsync(new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["Staff:SignInPermitLimit"] = "2",
            ["Staff:LockoutFailures"] = "5",
        });
        await StaffSession.CreateAccountAsync(node, Known, admin: false);
        using var session = StaffSession.Anonymous(node);

        foreach (var from in new[] { "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.2", "10.0.0.3" })
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInFromAsync(session, from, Known, "Not-The-Password-1")).StatusCode);
        var rightPassword = await SignInFromAsync(session, "10.0.0.4", Known, StaffSession.Password);
        var unknownEmail = await SignInFromAsync(session, "10.0.0.5", Unknown, StaffSession.Password);
        var thirdFromOneAddress = await SignInFromAsync(session, "10.0.0.1", Known, StaffSession.Password);

        Assert.Equal(HttpStatusCode.BadRequest, rightPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownEmail.StatusCode);
        Assert.Equal(await ProblemAsync(unknownEmail), await ProblemAsync(rightPassword));
        Assert.True(await IsPausedAsync(node, Known));
        Assert.Equal(HttpStatusCode.TooManyRequests, thirdFromOneAddress.StatusCode);
        Assert.NotNull(thirdFromOneAddress.Headers.RetryAfter?.Delta);
        Assert.StartsWith("Too many sign-in attempts from your address", await ProblemAsync(thirdFromOneAddress), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OnARealSocket_OneAddressIsStoppedBeforeTheAccountPauses_AndItsOwnerStillSignsIn()
    {
        // The defaults, and the connection's own address: no forwarded headers.
        var node = await NodeAsync([]);
        var site = KestrelSite.Start(node);
        await StaffSession.CreateAccountAsync(node, Known, admin: false);
        using var attacker = new StaffSession(KestrelSite.ClientFrom(IPAddress.Parse("127.0.0.2"), site));
        using var owner = new StaffSession(KestrelSite.ClientFrom(IPAddress.Loopback, site));

        var answers = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 30; attempt++)
            answers.Add((await attacker.SignInAsync(Known, $"Guess-number-{attempt}")).StatusCode);
        var pausedAfterTheAttack = await IsPausedAsync(node, Known);
        var signedIn = await owner.SignInAsync(Known, StaffSession.Password);

        Assert.Equal(10, answers.Count(a => a == HttpStatusCode.BadRequest));
        Assert.Equal(20, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.False(pausedAfterTheAttack);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/staff/imports")).StatusCode);
    }

    [Fact]
    public void Settings_ThatLetOneAddressPauseAnAccount_AreRefused()
    {
        var settings = new StaffSignInOptions { SignInPermitLimit = 10, SignInWindowSeconds = 900, LockoutMinutes = 15, LockoutFailures = 20 };

        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains("Staff:LockoutFailures", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
        var defaults = new StaffSignInOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), [], validateAllProperties: true));
    }

    private async Task<RegistryNode> NodeAsync(Dictionary<string, string?> settings)
    {
        var node = new RegistryNode(await TestCluster.CreateDatabaseAsync("signin"), settings);
        _nodes.Add(node);
        return node;
    }

    private static async Task<HttpResponseMessage> SignInFromAsync(StaffSession session, string address, string email, string password)
    {
        var token = await session.TokenAsync("/staff/login?lang=en");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/staff/login?lang=en")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = email,
                ["Password"] = password,
                [StaffSession.TokenField] = token,
            }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        return await session.Client.SendAsync(request);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response) =>
        (await StaffSession.HtmlAsync(response)).QuerySelector("[data-testid=login-problem]")?.TextContent.Trim() ?? "";

    private static async Task<bool> IsPausedAsync(RegistryNode node, string email)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT coalesce("LockoutEnd" > now(), false) FROM staff_users WHERE "Email" = $1""", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);
}
