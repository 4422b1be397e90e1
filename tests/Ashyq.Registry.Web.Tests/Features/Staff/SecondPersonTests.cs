using Ashyq.Registry.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Under Publishing:RequireSecondPerson the one who uploaded a week's file does not publish it, unless an Admin says so.</summary>
public sealed class SecondPersonTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Publish_ByTheUploader_IsRefused_AnotherStaffMemberPublishes()
    {
        using var site = FourEyes();
        using var uploader = await StaffSession.SignedInAsync(site, "aigerim@ashyq.local", admin: false);
        await UploadAsync(uploader);

        var review = await uploader.PageAsync($"/staff/weeks/{Week}");
        Assert.NotNull(review.QuerySelector("[data-testid=second-person]"));
        Assert.Null(review.QuerySelector("[data-testid=publish-button]"));
        var own = await uploader.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", new() { ["publishOwnUpload"] = "true" });
        Assert.Contains("problem=second-person", own.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync());

        using var colleague = await StaffSession.SignedInAsync(site, "daulet@ashyq.local", admin: false);
        Assert.Null((await colleague.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=second-person]"));
        var published = await colleague.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);

        Assert.Contains("done=published", published.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("published", await WeekStatusAsync());
        Assert.Equal("daulet@ashyq.local", await ScalarAsync<string>("SELECT published_by FROM weeks"));
    }

    [Fact]
    public async Task Publish_AnAdminsOwnUpload_NeedsTheExplicitOverride_WhichTheAuditLogRecords()
    {
        using var site = FourEyes();
        using var admin = await StaffSession.SignedInAsync(site, "admin@ashyq.local", admin: true);
        await UploadAsync(admin);

        var plain = await admin.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);
        Assert.Contains("problem=second-person", plain.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("draft", await WeekStatusAsync());
        Assert.NotNull((await admin.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=publish-own-upload]"));

        var overridden = await admin.PublishTickingEveryBoxAsync(Week);

        Assert.Contains("done=published", overridden.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("published", await WeekStatusAsync());
        var audit = await ScalarAsync<string>($"SELECT actor || ': ' || details FROM audit_log WHERE action = 'week.publish' AND subject = '{Week}'");
        Assert.Contains("admin@ashyq.local", audit, StringComparison.Ordinal);
        Assert.Contains("overriding the second-person rule", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_RuleOff_TheUploaderPublishes()
    {
        using var uploader = await StaffSession.SignedInAsync(factory, "aigerim@ashyq.local", admin: false);
        await UploadAsync(uploader);

        Assert.Null((await uploader.PageAsync($"/staff/weeks/{Week}")).QuerySelector("[data-testid=second-person]"));
        await uploader.PostFormAsync($"/staff/weeks/{Week}", $"/staff/weeks/{Week}/publish", []);

        Assert.Equal("published", await WeekStatusAsync());
    }

    [Fact]
    public void Rule_IsOnInProductionsSettings_AndOffInTheDefaults()
    {
        var root = factory.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath;
        var defaults = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.json")).Build();
        var production = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root, "appsettings.json"))
            .AddJsonFile(Path.Combine(root, "appsettings.Production.json"))
            .Build();

        Assert.False(defaults.GetValue<bool>("Publishing:RequireSecondPerson"));
        Assert.True(production.GetValue<bool>("Publishing:RequireSecondPerson"));
    }

    private WebApplicationFactory<Program> FourEyes() =>
        factory.WithWebHostBuilder(b => b.UseSetting("Publishing:RequireSecondPerson", "true"));

    private static async Task UploadAsync(StaffSession staff)
    {
        var export = new ExportBuilder();
        for (var n = 1; n <= 20; n++)
            export.Row(ExportBuilder.BinFor(n), n <= 3 ? "лидер" : "участник", name: $"Кафе {n}");
        await staff.UploadLoadedAsync(export.ToBytes(), "export.csv", Week);
    }

    private Task<string?> WeekStatusAsync() => ScalarAsync<string?>($"SELECT status FROM weeks WHERE week_start = '{Week}'");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
