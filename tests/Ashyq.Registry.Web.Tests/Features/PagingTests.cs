using System.Globalization;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

public sealed class PagingTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await factory.ResetAsync();
        var file = new ExportBuilder();
        for (var i = 1; i <= 60; i++)
            file.Row(ExportBuilder.BinFor(i), "лидер", $"Кафе {i.ToString("D3", CultureInfo.InvariantCulture)}", scans: i);
        await factory.ImportAsync(file.ToBytes(), "2021-07-12");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Leaders_PagesByFifty()
    {
        var client = factory.CreateClient();

        var first = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders"));
        var second = new HtmlParser().ParseDocument(await client.GetStringAsync("/leaders?page=2"));

        Assert.Equal(50, first.AllByTestId("list-row").Count);
        Assert.Equal("60", first.ByTestId("result-count").GetAttribute("data-total"));
        Assert.Equal("/leaders?week=2021-07-12&page=2", first.ByTestId("page-next").GetAttribute("href"));
        var rest = second.AllByTestId("list-row");
        Assert.Equal(10, rest.Count);
        Assert.Equal("Кафе 051", rest[0].ByTestId("business-link").TextContent);
        Assert.NotNull(second.ByTestId("page-prev"));
    }

    [Fact]
    public async Task Download_Csv_HasEveryRowNotJustAPage()
    {
        var csv = await factory.CreateClient().GetStringAsync("/lists/leaders.csv");

        Assert.Equal(61, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task GetApi_List_CapsThePageSize()
    {
        var json = await factory.CreateClient().GetStringAsync("/api/v1/lists/leaders?pageSize=100000&sort=scans");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(500, root.GetProperty("pageSize").GetInt32());
        Assert.Equal(60, root.GetProperty("items").GetArrayLength());
        Assert.Equal(60, root.GetProperty("items")[0].GetProperty("scans").GetInt32());
    }
}
