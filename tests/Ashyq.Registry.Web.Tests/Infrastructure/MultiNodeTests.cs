using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Infrastructure;

/// <summary>Two web nodes on one database, as several servers behind a balancer would run.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public RegistryNode A { get; private set; } = null!;
    public RegistryNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var database = await TestCluster.CreateDatabaseAsync("nodes");
        A = new RegistryNode(database, RegistryNode.Unlimited);
        B = new RegistryNode(database, RegistryNode.Unlimited);
        await A.WaitUntilListeningAsync();
        await B.WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

public sealed class MultiNodeTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    // A condition waited for, not a duration: on a busy machine the notification can take longer than the
    // second it usually does (docs/reliability.md gives the measured figure); the bound only ends a broken run.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(20);

    private static readonly string Leader = ExportBuilder.BinFor(1);
    private static readonly string Outsider = ExportBuilder.BinFor(2);

    [Fact]
    public async Task Publish_OnNodeA_RefreshesNodeBsCachedPagesPromptly()
    {
        var onB = nodes.B.CreateClient();
        var before = await WeekStartsAsync(onB);
        await nodes.A.ImportAsync(new ExportBuilder().Row(Leader, "лидер").ToBytes(), "2021-06-07", publish: false);
        Assert.Equal(before, await WeekStartsAsync(onB));

        await nodes.A.Services.GetRequiredService<WeekPublisher>().PublishAsync(new DateOnly(2021, 6, 7), "test");

        Assert.Contains("2021-06-07", await WaitForAsync(onB, weeks => weeks.Contains("2021-06-07"), Promptly));
    }

    [Fact]
    public async Task Withdraw_OnNodeA_RemovesTheWeekFromNodeBsCachedPagesPromptly()
    {
        await nodes.A.ImportAsync(new ExportBuilder().Row(Leader, "лидер").Row(Outsider, "аутсайдер").ToBytes(), "2021-06-14");
        var onB = nodes.B.CreateClient();
        Assert.Contains("2021-06-14", await WaitForAsync(onB, weeks => weeks.Contains("2021-06-14"), Promptly));

        await nodes.A.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 6, 14), "test", "Wrong file");

        Assert.DoesNotContain("2021-06-14", await WaitForAsync(onB, weeks => !weeks.Contains("2021-06-14"), Promptly));
    }

    [Fact]
    public async Task Get_OnNodeB_IsServedFromItsCacheUntilAWeekChanges()
    {
        await nodes.A.ImportAsync(new ExportBuilder().Row(Leader, "лидер").ToBytes(), "2021-06-21");
        var onB = nodes.B.CreateClient();
        await WaitForAsync(onB, weeks => weeks.Contains("2021-06-21"), Promptly);
        await ExecuteAsync("UPDATE weeks SET participants = 999 WHERE week_start = '2021-06-21'");

        var cached = await ParticipantsAsync(onB, "2021-06-21");
        await using (var connection = new NpgsqlConnection(nodes.A.ConnectionString))
        {
            await connection.OpenAsync();
            await RegistryChanges.NotifyAsync(connection, null, new DateOnly(2021, 6, 21));
        }
        var clock = Stopwatch.StartNew();
        var fresh = await ParticipantsAsync(onB, "2021-06-21");
        while (fresh != 999 && clock.Elapsed < Promptly)
        {
            await Task.Delay(25);
            fresh = await ParticipantsAsync(onB, "2021-06-21");
        }

        Assert.Equal(1, cached);
        Assert.Equal(999, fresh);
    }

    [Fact]
    public void Protect_OnNodeA_IsUnprotectedByNodeB()
    {
        const string purpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";
        var cookie = nodes.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("staff user 42");

        var read = nodes.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Unprotect(cookie);

        Assert.Equal("staff user 42", read);
    }

    [Fact]
    public async Task Protect_KeepsTheKeyRingInTheDatabase()
    {
        nodes.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("any").Protect("x");

        await using var connection = new NpgsqlConnection(nodes.A.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                keys.Add(reader.GetString(0));

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith("<key ", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Protect_OnNodeA_IsRefusedByANodeOfAnotherDatabase()
    {
        const string purpose = "cookie";
        var cookie = nodes.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose).Protect("staff user 42");
        await using var stranger = new RegistryNode(await TestCluster.CreateDatabaseAsync("stranger"));

        var protector = stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(cookie));
    }

    [Fact]
    public async Task AntiforgeryTokens_IssuedByNodeA_AreAcceptedByNodeB()
    {
        using var scopeA = nodes.A.Services.CreateScope();
        // The staff area's anti-forgery cookie is secure-only, so the form is served over HTTPS.
        var form = new DefaultHttpContext { RequestServices = scopeA.ServiceProvider };
        form.Request.IsHttps = true;
        var issued = scopeA.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(form);
        using var scopeB = nodes.B.Services.CreateScope();
        var cookieName = scopeB.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
        var post = new DefaultHttpContext { RequestServices = scopeB.ServiceProvider };
        post.Request.Method = HttpMethods.Post;
        post.Request.IsHttps = true;
        post.Request.Headers.Cookie = $"{cookieName}={issued.CookieToken}";
        post.Request.Headers[issued.HeaderName!] = issued.RequestToken;

        var valid = await scopeB.ServiceProvider.GetRequiredService<IAntiforgery>().IsRequestValidAsync(post);

        Assert.True(valid);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(nodes.A.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> WeekStartsAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/weeks"));
        return json.RootElement.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("weekStart").GetString()!).ToList();
    }

    private static async Task<int> ParticipantsAsync(HttpClient client, string week)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/weeks"));
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Single(w => w.GetProperty("weekStart").GetString() == week).GetProperty("participants").GetInt32();
    }

    private static async Task<List<string>> WaitForAsync(HttpClient client, Func<List<string>, bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var weeks = await WeekStartsAsync(client);
        while (!condition(weeks) && clock.Elapsed < limit)
        {
            await Task.Delay(25);
            weeks = await WeekStartsAsync(client);
        }
        return weeks;
    }
}
