using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Data;

/// <summary>
/// Two published weeks whose businesses differ in known ways (one leaves, one comes, two fall to outsider, one
/// rises to leader, an individual among them), then a week published and withdrawn.
/// </summary>
public sealed class DeltaSiteFixture : IAsyncLifetime
{
    public const string First = "2021-10-04";
    public const string Second = "2021-10-11";
    public const string Withdrawn = "2021-10-18";
    public static readonly string Stays = ExportBuilder.BinFor(11);
    public static readonly string Rises = ExportBuilder.BinFor(12);
    public static readonly string Leaves = ExportBuilder.BinFor(13);
    public static readonly string Comes = ExportBuilder.BinFor(14);
    public static readonly string Person = ExportBuilder.IinFor(15);

    public RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        await Load(new ExportBuilder()
            .Row(Stays, "лидер", "Альфа").Row(Rises, "аутсайдер", "Бета").Row(Leaves, "лидер", "Гамма").Row(Person, "лидер", "ИП Дельта")
            .ToBytes(), First);
        await Load(new ExportBuilder()
            .Row(Stays, "аутсайдер", "Альфа").Row(Rises, "лидер", "Бета").Row(Comes, "лидер", "=Эпсилон").Row(Person, "аутсайдер", "ИП Дельта")
            .ToBytes(), Second);
        await Load(new ExportBuilder().Row(Comes, "лидер", "=Эпсилон").ToBytes(), Withdrawn);
        await Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(DateOnly.Parse(Withdrawn, System.Globalization.CultureInfo.InvariantCulture), "test", "неверный файл");
    }

    public async Task Load(byte[] file, string week)
    {
        var outcome = await Site.ImportAsync(file, week);
        if (outcome.State != ImportStates.Loaded)
            throw new InvalidOperationException($"The week {week} did not load: {outcome.State}");
    }

    public HttpClient Client() =>
        Site.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

public sealed class DeltaTests(DeltaSiteFixture site) : IClassFixture<DeltaSiteFixture>
{
    [Fact]
    public async Task Get_JsonDelta_ListsWhoCameLeftAndChangedStatusAgainstThePreviousWeek()
    {
        var response = await site.Client().GetAsync($"/data/deltas/{DeltaSiteFixture.Second}.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeltaSiteFixture.Second, document.RootElement.GetProperty("week").GetString());
        Assert.Equal(DeltaSiteFixture.First, document.RootElement.GetProperty("previousWeek").GetString());
        var changes = document.RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("change").GetString()} {c.GetProperty("bin").GetString()} {c.GetProperty("before").GetString() ?? "-"}>{c.GetProperty("now").GetString() ?? "-"}")
            .Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            $"departures {DeltaSiteFixture.Leaves} leader>-",
            $"leaders {DeltaSiteFixture.Comes} ->leader",
            $"leaders {DeltaSiteFixture.Rises} outsider>leader",
            $"newcomers {DeltaSiteFixture.Comes} ->leader",
            $"outsiders {PersonalNumbers.Shown(DeltaSiteFixture.Person)} leader>outsider",
            $"outsiders {DeltaSiteFixture.Stays} leader>outsider",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), changes);
    }

    [Fact]
    public async Task Get_CsvDelta_HasTheSameChangesInTheLanguageAskedFor_NamesDefused()
    {
        var csv = await site.Client().GetStringAsync($"/data/deltas/{DeltaSiteFixture.Second}.csv?lang=en");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("Week;Change;BIN/IIN;Name;Before;Now", lines[0]);
        Assert.Equal(7, lines.Length);
        Assert.Contains($"{DeltaSiteFixture.Second};No longer listed;{DeltaSiteFixture.Leaves};Гамма;Leader;not listed", lines);
        Assert.Contains(lines, l => l.Contains($";{DeltaSiteFixture.Comes};'=Эпсилон;not listed;Leader", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task Get_Delta_NeverShowsAnIndividualsNumberInFull(string format)
    {
        var text = await site.Client().GetStringAsync($"/data/deltas/{DeltaSiteFixture.Second}.{format}");

        Assert.DoesNotContain(DeltaSiteFixture.Person, text, StringComparison.Ordinal);
        Assert.Contains(PersonalNumbers.Shown(DeltaSiteFixture.Person), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Delta_OfTheFirstWeek_Is404SayingItHasNone()
    {
        var response = await site.Client().GetAsync($"/data/deltas/{DeltaSiteFixture.First}.json?lang=en");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("first published week", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Delta_OfAWithdrawnWeek_Is410WithTheReason()
    {
        var response = await site.Client().GetAsync($"/data/deltas/{DeltaSiteFixture.Withdrawn}.csv");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("неверный файл", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/deltas/2021-10-12.json")]
    [InlineData("/data/deltas/2021-10-11.xml")]
    [InlineData("/data/deltas/2031-10-13.csv")]
    [InlineData("/data/deltas/%3Cscript%3E.json")]
    public async Task Get_Delta_OfNoPublishedWeek_Is404(string url)
    {
        var response = await site.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ChangesPage_LinksToTheWeeksDeltas()
    {
        var client = site.Client();
        var html = await new HtmlParser().ParseDocumentAsync(await client.GetStringAsync($"/changes?week={DeltaSiteFixture.Second}"));
        var first = await new HtmlParser().ParseDocumentAsync(await client.GetStringAsync($"/changes?week={DeltaSiteFixture.First}"));

        Assert.Equal($"/data/deltas/{DeltaSiteFixture.Second}.csv", html.QuerySelector("[data-testid=delta-csv]")?.GetAttribute("href"));
        Assert.Equal($"/data/deltas/{DeltaSiteFixture.Second}.json", html.QuerySelector("[data-testid=delta-json]")?.GetAttribute("href"));
        Assert.Null(first.QuerySelector("[data-testid=delta-links]"));
    }

    [Fact]
    public async Task PublishAndWithdraw_TheNextRequestGivesTheNewVersion_AndTheOldFilesGo()
    {
        const string later = "2021-10-25";
        var client = site.Client();
        var before = await Version(client);
        Assert.DoesNotContain(later, await ArchiveText(client), StringComparison.Ordinal);

        await site.Load(new ExportBuilder().Row(DeltaSiteFixture.Stays, "лидер", "Альфа").ToBytes(), later);
        var published = await Version(client);
        Assert.Contains($"\"week\":\"{later}\"", await ArchiveText(client), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/data/deltas/{later}.json")).StatusCode);
        Assert.Equal([published], Directory.GetDirectories(site.Site.OpenDataPath).Select(Path.GetFileName));

        await site.Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(
            DateOnly.Parse(later, System.Globalization.CultureInfo.InvariantCulture), "test", "повтор");
        var withdrawn = await Version(client);
        Assert.DoesNotContain(later, await ArchiveText(client), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/data/deltas/{later}.json")).StatusCode);

        Assert.Equal(3, new[] { before, published, withdrawn }.Distinct().Count());
        Assert.Equal([withdrawn], Directory.GetDirectories(site.Site.OpenDataPath).Select(Path.GetFileName));
    }

    private static async Task<string> Version(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/data/releases.json"));
        return document.RootElement.GetProperty("version").GetString()!;
    }

    private static async Task<string> ArchiveText(HttpClient client)
    {
        await using var gzip = new GZipStream(await client.GetStreamAsync("/data/archive.jsonl.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
