using System.IO.Compression;
using System.Net;
using Ashyq.Registry.Web.Tests.Features.Staff;

namespace Ashyq.Registry.Web.Tests.Features.Http;

public sealed class CompressionTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    public static TheoryData<string, string> Answers()
    {
        var data = new TheoryData<string, string>();
        foreach (var encoding in new[] { "br", "gzip" })
        {
            foreach (var url in new[]
            {
                "/leaders", "/statistics", "/api/v1/lists/leaders", "/lists/leaders.csv",
                $"/business/{PublicSiteFixture.C}/badge.svg", "/feed.atom", "/css/site.css", "/no-such-page",
            })
            {
                data.Add(url, encoding);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Get_WithAcceptEncoding_IsCompressed_BothWhenRenderedAndWhenServedFromTheCache(string url, string encoding)
    {
        var client = site.Client();
        var plain = await (await client.GetAsync(url)).Content.ReadAsByteArrayAsync();

        foreach (var round in new[] { "first", "cached" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding == "br" ? "gzip, br" : "gzip");
            var response = await client.SendAsync(request);
            var sent = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(plain, Decompress(sent, encoding));
            Assert.True(sent.Length < plain.Length, $"{url} ({round}): {sent.Length} bytes sent for {plain.Length}");
        }
    }

    [Fact]
    public async Task Get_WithoutAcceptEncoding_IsSentAsItIs()
    {
        var response = await site.Client().GetAsync("/leaders");

        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Get_CompressedAndPlain_ShareTheirETag_AndRevalidate()
    {
        var client = site.Client();
        var plain = await client.GetAsync("/exclusions");
        var request = new HttpRequestMessage(HttpMethod.Get, "/exclusions");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        request.Headers.IfNoneMatch.Add(plain.Headers.ETag!);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Get_StaffPage_IsNotCompressed()
    {
        using var anonymous = StaffSession.Anonymous(site.Site);
        var request = new HttpRequestMessage(HttpMethod.Get, "/staff/login");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");

        var response = await anonymous.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    private static byte[] Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream reader = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        reader.CopyTo(output);
        return output.ToArray();
    }
}
