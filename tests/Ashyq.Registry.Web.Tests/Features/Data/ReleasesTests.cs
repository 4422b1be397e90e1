using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ashyq.Registry.Web.Tests.Features.Data;

public sealed class ReleasesTests(ArchiveSiteFixture site) : IClassFixture<ArchiveSiteFixture>
{
    [Theory]
    [InlineData("ru")]
    [InlineData("kk")]
    [InlineData("en")]
    public async Task Get_Releases_EveryListedDownloadHasTheSizeAndSha256Given(string language)
    {
        var client = site.Client();
        var response = await client.GetAsync($"/data/releases.json?lang={language}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = document.RootElement.GetProperty("releases").EnumerateArray()
            .Where(r => r.GetProperty("withdrawnAt").ValueKind == JsonValueKind.Null).ToList();
        Assert.Equal(["2021-09-20", "2021-09-13"], published.Select(r => r.GetProperty("week").GetString()));
        foreach (var release in published)
        {
            var downloads = release.GetProperty("downloads").EnumerateArray().ToList();
            Assert.Equal(9, downloads.Count);
            foreach (var download in downloads)
            {
                var url = download.GetProperty("url").GetString()!;
                var bytes = await client.GetByteArrayAsync(url);
                Assert.True(download.GetProperty("size").GetInt64() == bytes.Length, $"{url}: {bytes.Length} bytes, the index says {download.GetProperty("size").GetInt64()}");
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), download.GetProperty("sha256").GetString());
            }
        }
        var first = published[^1];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("deltaAgainst").ValueKind);
        Assert.Empty(first.GetProperty("deltas").EnumerateArray());
        Assert.Equal("2021-09-13", published[0].GetProperty("deltaAgainst").GetString());
        var deltas = published[0].GetProperty("deltas").EnumerateArray().ToList();
        Assert.Equal(2, deltas.Count);
        foreach (var delta in deltas)
        {
            var url = delta.GetProperty("url").GetString()!;
            Assert.StartsWith("/data/deltas/2021-09-20.", url, StringComparison.Ordinal);
            var bytes = await client.GetByteArrayAsync(url);
            Assert.True(delta.GetProperty("size").GetInt64() == bytes.Length, $"{url}: {bytes.Length} bytes");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), delta.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public async Task Get_Releases_IsServedFromTheStoredFileWithItsSha256AsETag()
    {
        var client = site.Client();
        var first = await client.GetAsync("/data/releases.json?lang=en");
        var bytes = await first.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/data/releases.json?lang=en");
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var revalidated = await client.SendAsync(again);

        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", first.Headers.ETag.Tag);
        Assert.NotNull(first.Content.Headers.LastModified);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Get_Releases_GivesTheSourceFilesSha256AndTheWithdrawal()
    {
        using var document = JsonDocument.Parse(await site.Client().GetStringAsync("/data/releases.json"));
        var releases = document.RootElement.GetProperty("releases").EnumerateArray().ToDictionary(r => r.GetProperty("week").GetString()!);

        var sample = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", "week-2021-09-20-en.xlsx"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sample)), releases["2021-09-20"].GetProperty("sourceSha256").GetString());
        Assert.NotEqual(JsonValueKind.Null, releases["2021-09-20"].GetProperty("publishedAt").ValueKind);
        var withdrawn = releases[ArchiveSiteFixture.WithdrawnWeek];
        Assert.NotEqual(JsonValueKind.Null, withdrawn.GetProperty("withdrawnAt").ValueKind);
        Assert.Equal("ошибка в файле", withdrawn.GetProperty("withdrawReason").GetString());
        Assert.Empty(withdrawn.GetProperty("downloads").EnumerateArray());
        Assert.Equal(3, releases.Count);
    }
}
