using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Privacy;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Features.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Data;

/// <summary>
/// The sample exports of 13 and 20 September 2021 (a CSV and a workbook, individuals' IINs among them)
/// loaded and published through the real pipeline, and a week of 27 September published and then withdrawn.
/// </summary>
public sealed class ArchiveSiteFixture : IAsyncLifetime
{
    public static readonly string[] PublishedWeeks = ["2021-09-13", "2021-09-20"];
    public const string WithdrawnWeek = "2021-09-27";
    public static readonly string WithdrawnBin = ExportBuilder.BinFor(301);

    public RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        await Load(File.ReadAllBytes(Sample("week-2021-09-13-kk-utf8bom.csv")), "2021-09-13", "week-2021-09-13-kk-utf8bom.csv");
        await Load(File.ReadAllBytes(Sample("week-2021-09-20-en.xlsx")), "2021-09-20", "week-2021-09-20-en.xlsx");
        await Load(new ExportBuilder().Row(WithdrawnBin, "лидер", "Отозванная неделя", scans: 1).ToBytes(), WithdrawnWeek, "export.csv");
        await Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 9, 27), "test", "ошибка в файле");
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    private async Task Load(byte[] file, string week, string fileName)
    {
        var outcome = await Site.ImportAsync(file, week, publish: true, fileName);
        if (outcome.State != ImportStates.Loaded)
            throw new InvalidOperationException($"The week {week} did not load: {outcome.State}");
    }

    public HttpClient Client() =>
        Site.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();
}

public sealed partial class ArchiveTests(ArchiveSiteFixture site) : IClassFixture<ArchiveSiteFixture>
{
    [Fact]
    public async Task Get_CsvArchive_HoldsEveryPublishedWeeksListRows()
    {
        var client = site.Client();
        var response = await client.GetAsync("/data/archive.csv.gz");
        var archive = Lines(await Gunzip(response));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ashyq-archive.csv.gz", response.Content.Headers.ContentDisposition?.FileName);
        var participantsHeader = Lines(await client.GetStringAsync($"/lists/participants.csv?week={ArchiveSiteFixture.PublishedWeeks[0]}"))[0];
        Assert.Equal(participantsHeader, archive[0]);
        var expected = new List<string>();
        foreach (var week in ArchiveSiteFixture.PublishedWeeks)
        {
            expected.AddRange(Lines(await client.GetStringAsync($"/lists/participants.csv?week={week}")).Skip(1));
            expected.AddRange(Lines(await client.GetStringAsync($"/lists/excluded.csv?week={week}")).Skip(1));
        }
        Assert.True(expected.Count > 30, $"the two sample weeks list {expected.Count} rows");
        Assert.Equal(expected.Order(StringComparer.Ordinal), archive.Skip(1).Order(StringComparer.Ordinal));
        Assert.Equal(
            [.. ArchiveSiteFixture.PublishedWeeks],
            archive.Skip(1).Select(l => l[..10]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_JsonLinesArchive_HoldsEveryPublishedWeeksJsonItemsWithTheWeek()
    {
        var client = site.Client();
        var response = await client.GetAsync("/data/archive.jsonl.gz");
        var text = await Gunzip(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ashyq-archive.jsonl.gz", response.Content.Headers.ContentDisposition?.FileName);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var archive = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var week in ArchiveSiteFixture.PublishedWeeks)
        {
            var expected = new List<JsonNode>();
            foreach (var kind in new[] { "participants", "excluded" })
            {
                using var list = JsonDocument.Parse(await client.GetStringAsync($"/lists/{kind}.json?week={week}"));
                expected.AddRange(list.RootElement.GetProperty("items").EnumerateArray().Select(i => JsonNode.Parse(i.GetRawText())!));
            }
            var rows = archive.Where(r => (string?)r["week"] == week).Select(r =>
            {
                var copy = r.DeepClone().AsObject();
                copy.Remove("week");
                return copy;
            }).ToList();
            Assert.Equal(expected.Count, rows.Count);
            foreach (var item in expected)
                Assert.Single(rows, r => JsonNode.DeepEquals(r, item));
        }
        Assert.Equal(archive.Count, archive.Count(r => ArchiveSiteFixture.PublishedWeeks.Contains((string?)r["week"])));
    }

    [Theory]
    [InlineData("/data/archive.csv.gz")]
    [InlineData("/data/archive.jsonl.gz")]
    public async Task Get_Archive_LeavesOutTheWithdrawnWeekAndMasksIndividualsNumbers(string url)
    {
        var text = await Gunzip(await site.Client().GetAsync(url));

        Assert.DoesNotContain(ArchiveSiteFixture.WithdrawnWeek, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ArchiveSiteFixture.WithdrawnBin, text, StringComparison.Ordinal);
        var numbers = TwelveDigits().Matches(text).Select(m => m.Value).ToList();
        Assert.NotEmpty(numbers);
        Assert.All(numbers, n => Assert.True(PersonalNumbers.IsPublic(n), $"{n} is an individual's number in full"));
        Assert.Contains("********", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/archive.csv.gz")]
    [InlineData("/data/archive.jsonl.gz")]
    public async Task Get_Archive_HasThePublicLifetimeAndRevalidatesTo304(string url)
    {
        var client = site.Client();
        var first = await client.GetAsync(url);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var revalidated = await client.SendAsync(again);

        Assert.Equal("public, max-age=60", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Get_Archive_ManyFirstRequestsAtOnce_WriteTheFileOnce()
    {
        var files = site.Site.Services.GetRequiredService<OpenDataFiles>();
        var before = files.Generations;

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => site.Client().GetByteArrayAsync("/data/archive.csv.gz?lang=kk")));

        Assert.Equal(1, files.Generations - before);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
        await site.Client().GetByteArrayAsync("/data/archive.csv.gz?lang=kk");
        Assert.Equal(1, files.Generations - before);
    }

    [Fact]
    public async Task Get_Archive_AnswersARangeOfTheStoredFile()
    {
        var client = site.Client();
        var whole = await client.GetByteArrayAsync("/data/archive.jsonl.gz");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data/archive.jsonl.gz");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
        var part = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(whole[10..20], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(whole.Length, part.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task Get_CsvArchive_InEnglish_NamesCategoriesInEnglish()
    {
        var client = site.Client();
        var english = Lines(await Gunzip(await client.GetAsync("/data/archive.csv.gz?lang=en")));
        var week = ArchiveSiteFixture.PublishedWeeks[1];
        var list = Lines(await client.GetStringAsync($"/lists/participants.csv?week={week}&lang=en"));

        Assert.Equal(list[0], english[0]);
        Assert.Contains(list[1], english);
    }

    private static async Task<string> Gunzip(HttpResponseMessage response)
    {
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync();
    }

    private static string[] Lines(string csv) => csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    // A number on its own: not twelve digits inside an individual's public identifier (ie- and 16 hex
    // digits, which now and then holds a run of twelve decimal ones).
    [GeneratedRegex(@"(?<![0-9a-z-])\d{12}(?![0-9a-z])")]
    private static partial Regex TwelveDigits();
}
