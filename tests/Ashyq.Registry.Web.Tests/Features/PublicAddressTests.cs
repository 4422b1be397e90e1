using System.Net;
using System.Text;
using System.Text.Json;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class PublicAddressTests(PublicSiteFixture site) : IClassFixture<PublicSiteFixture>
{
    [Theory]
    [InlineData("/leaders?week=2021-07-20", "/leaders?week=2021-07-19")]
    [InlineData("/leaders?week=2021-07-25&sort=scans", "/leaders?week=2021-07-19&sort=scans")]
    [InlineData("/changes?week=2021-07-14", "/changes?week=2021-07-12")]
    [InlineData("/lists/leaders.csv?week=2021-07-06", "/lists/leaders.csv?week=2021-07-05")]
    [InlineData("/api/v1/lists/leaders?week=2021-07-18", "/api/v1/lists/leaders?week=2021-07-12")]
    [InlineData("/api/v1/weeks/2021-07-21", "/api/v1/weeks/2021-07-19")]
    public async Task AnyDayOfAWeek_MovesToItsMonday(string asked, string monday)
    {
        var response = await site.Client().GetAsync(asked);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(monday, response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await site.Client().GetAsync(monday)).StatusCode);
    }

    [Fact]
    public async Task Monday_IsAnsweredWhereItIs_AndTheApiNamesTheWeekItUsed()
    {
        var response = await site.Client().GetAsync("/api/v1/lists/leaders?week=2021-07-12");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2021-07-12", json.RootElement.GetProperty("weekStart").GetString());
    }

    [Fact]
    public async Task StaffAddresses_AreNotMoved()
    {
        var response = await site.Client().GetAsync("/staff/imports?week=2021-07-20");

        Assert.NotEqual(HttpStatusCode.MovedPermanently, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/lists/leaders?week=2021-07-12")]
    [InlineData("/lists/leaders.json?week=2021-07-12")]
    [InlineData("/api/v1/lists/outsiders?week=2021-07-05")]
    public async Task Json_WritesCyrillicAsItIs_AndStillEscapesHtml(string url)
    {
        var bytes = await site.Client().GetByteArrayAsync(url);
        var text = Encoding.UTF8.GetString(bytes);

        Assert.DoesNotContain("\\u04", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u043", text, StringComparison.Ordinal);
        Assert.Contains("Кафе", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.DoesNotContain("'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_EscapesTheHtmlInAName()
    {
        var text = await site.Client().GetStringAsync("/api/v1/lists/outsiders?week=2021-07-05");

        Assert.Contains("\\u003Cscript\\u003E", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.Contains(json.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString() == PublicSiteFixture.HtmlName);
    }

    [Theory]
    [InlineData("/lists/exclusions.csv?week=2021-07-05", "/lists/excluded.csv?week=2021-07-05")]
    [InlineData("/api/v1/lists/exclusions?week=2021-07-12", "/api/v1/lists/excluded?week=2021-07-12")]
    public async Task Exclusions_IsTakenForExcluded(string alias, string name)
    {
        var byAlias = await site.Client().GetAsync(alias);
        var byName = await site.Client().GetAsync(name);

        Assert.Equal(HttpStatusCode.OK, byAlias.StatusCode);
        Assert.Equal(await byName.Content.ReadAsStringAsync(), await byAlias.Content.ReadAsStringAsync());
    }
}
