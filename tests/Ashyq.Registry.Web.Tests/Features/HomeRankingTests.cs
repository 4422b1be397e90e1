using AngleSharp.Html.Parser;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// A week whose largest group is "other" (categories the export named that are no kind of activity we
/// know): the home page ranks kinds of activity only and shows "other" apart.
/// </summary>
public sealed class HomeRankingTests : IAsyncLifetime
{
    private RegistryWebFactory Site { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Site).InitializeAsync();
        var file = new ExportBuilder();
        for (var i = 0; i < 4; i++)
            file.Row(ExportBuilder.BinFor(300 + i), "участник", $"Автомойка №{i}", category: "Автомойка");
        for (var i = 0; i < 3; i++)
            file.Row(ExportBuilder.BinFor(310 + i), "лидер", $"Кафе №{i}", category: "Кафе");
        file.Row(ExportBuilder.BinFor(320), "участник", "Салон «Ару»", category: "Салон красоты");
        var outcome = await Site.ImportAsync(file.ToBytes(), "2021-07-19");
        Assert.Equal(ImportStates.Loaded, outcome.State);
    }

    public Task DisposeAsync() => Site.DisposeAsync().AsTask();

    [Fact]
    public async Task Get_Home_RanksKindsOfActivityOnly_AndShowsOtherApart()
    {
        using var client = Site.CreateClient();
        var html = await client.GetStringAsync("/?lang=en");
        var page = await new HtmlParser().ParseDocumentAsync(html);

        var top = page.AllByTestId("top-category").Select(r => (r.GetAttribute("data-code"), r.ByTestId("participants").Text())).ToList();
        Assert.Equal([("catering", "3"), ("beauty", "1")], top);
        Assert.Equal("Not assigned to any kind of activity (\"Other\"): 4 participants. Their list", page.ByTestId("other-category").Text());
    }
}
