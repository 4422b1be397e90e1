using System.Net;
using System.Text.Json;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Infrastructure;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Api;

public sealed class WeeksApiTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private static readonly string A = ExportBuilder.BinFor(1);
    private static readonly string B = ExportBuilder.BinFor(2);
    private static readonly string C = ExportBuilder.BinFor(3);
    private static readonly string D = ExportBuilder.BinFor(4);

    public async Task InitializeAsync()
    {
        await factory.ResetAsync();
        await EvictCachedPagesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Weeks_ListsPublishedWeeksNewestFirstWithTheirFigures()
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").Row(B, "участник").ToBytes(), "2021-07-12");
        await factory.ImportAsync(new ExportBuilder()
            .Row(A, "лидер", flagged: 2).Row(B, "аутсайдер", flagged: 3).Row(C, "участник").Row(D, "исключен", reason: "Нарушения")
            .ToBytes(), "2021-07-19");
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-26", publish: false);
        await EvictCachedPagesAsync();

        var response = await factory.CreateClient().GetAsync("/api/v1/weeks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["2021-07-19", "2021-07-12"], items.Select(w => w.GetProperty("weekStart").GetString()));
        var latest = items[0];
        Assert.Equal(
            ["week", "weekStart", "weekEnd", "publishedAt", "sourceSha256", "participants", "leaders", "outsiders", "excluded", "flaggedVisitors"],
            latest.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2021-07-25", latest.GetProperty("weekEnd").GetString());
        Assert.True(latest.GetProperty("publishedAt").TryGetDateTimeOffset(out _));
        Assert.Equal(3, latest.GetProperty("participants").GetInt32());
        Assert.Equal(1, latest.GetProperty("leaders").GetInt32());
        Assert.Equal(1, latest.GetProperty("outsiders").GetInt32());
        Assert.Equal(1, latest.GetProperty("excluded").GetInt32());
        Assert.Equal(5, latest.GetProperty("flaggedVisitors").GetInt64());
    }

    [Fact]
    public async Task Get_Weeks_WithNothingPublished_ListsNoWeeks()
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-19", publish: false);
        await EvictCachedPagesAsync();

        using var json = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/api/v1/weeks"));

        Assert.Equal(0, json.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_Week_GivesItsFiguresWithParticipantsByCategoryAndDistrict()
    {
        await factory.ImportAsync(new ExportBuilder()
            .Row(A, "лидер", category: "Кафе", district: "Алмалинский")
            .Row(B, "участник", category: "Ресторан", district: "Алмалинский")
            .Row(C, "аутсайдер", category: "Парикмахерская", district: "Бостандыкский")
            .ToBytes(), "2021-07-19");
        await EvictCachedPagesAsync();

        var response = await factory.CreateClient().GetAsync("/api/v1/weeks/2021-07-19");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var week = json.RootElement;
        Assert.Equal(
            ["week", "weekStart", "weekEnd", "publishedAt", "sourceSha256", "participants", "leaders", "outsiders", "excluded", "flaggedVisitors", "categories", "districts"],
            week.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2021-07-19", week.GetProperty("weekStart").GetString());
        Assert.Equal("2021-07-25", week.GetProperty("weekEnd").GetString());
        Assert.Equal(3, week.GetProperty("participants").GetInt32());
        Assert.Equal([("catering", 2), ("beauty", 1)], Counts(week.GetProperty("categories")));
        Assert.Equal([("almaly", 2), ("bostandyk", 1)], Counts(week.GetProperty("districts")));
    }

    [Theory]
    [InlineData("2021-07-26")]
    [InlineData("2021-07-12")]
    [InlineData("2021-08-02")]
    public async Task Get_WeekThatIsNotPublished_IsNotFound(string week)
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-19");
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-26", publish: false);
        await EvictCachedPagesAsync();

        var response = await factory.CreateClient().GetAsync($"/api/v1/weeks/{week}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_WithdrawnWeek_IsGone()
    {
        await factory.ImportAsync(new ExportBuilder().Row(A, "лидер").ToBytes(), "2021-07-19");
        await factory.Services.GetRequiredService<Ashyq.Registry.Core.Weeks.WeekPublisher>()
            .WithdrawAsync(new DateOnly(2021, 7, 19), "test", "Wrong file");
        await EvictCachedPagesAsync();

        var response = await factory.CreateClient().GetAsync("/api/v1/weeks/2021-07-19");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2021-13-01")]
    [InlineData("19.07.2021")]
    [InlineData("2021-7-19")]
    public async Task Get_WeekThatIsNotADate_IsABadRequest(string week)
    {
        var response = await factory.CreateClient().GetAsync($"/api/v1/weeks/{week}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    private static List<(string, int)> Counts(JsonElement list) =>
        list.EnumerateArray().Select(c => (c.GetProperty("code").GetString()!, c.GetProperty("participants").GetInt32())).ToList();

    private ValueTask EvictCachedPagesAsync() =>
        factory.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(PublicOutputCache.Tag, default);
}
