using AngleSharp.Dom;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// The site with three published weeks, one withdrawn and one draft, loaded once per test class
/// through the real pipeline:
/// <list type="bullet">
/// <item>2021-07-05: Leader A, Outsider B, Participant C, D excluded by the file, E (a name with HTML) outsider.</item>
/// <item>2021-07-12: A leader, B outsider again (excluded by the rule), C leader, D participant (readmitted),
///   F newcomer whose name starts with '=', E gone.</item>
/// <item>2021-07-19: A outsider, C leader, D participant, F leader; B gone.</item>
/// <item>2021-07-26: withdrawn (W, "Отозванная неделя"); 2021-08-02: draft (X, "Черновик").</item>
/// </list>
/// </summary>
public sealed class PublicSiteFixture : LoadedSiteFixture
{
    public static readonly string A = ExportBuilder.BinFor(101);
    public static readonly string B = ExportBuilder.BinFor(102);
    public static readonly string C = ExportBuilder.BinFor(103);
    public static readonly string D = ExportBuilder.BinFor(104);
    public static readonly string E = ExportBuilder.BinFor(105);
    public static readonly string F = ExportBuilder.BinFor(106);
    public static readonly string W = ExportBuilder.BinFor(107);
    public static readonly string X = ExportBuilder.BinFor(108);

    public const string HtmlName = "<script>alert('x')</script> Кафе <b>Жұлдыз</b>";
    public const string FormulaName = "=1+2 Кафе Формула";

    protected override async Task LoadWeeksAsync()
    {
        await Load("2021-07-05", new ExportBuilder()
            .Row(A, "лидер", "Кафе «Достар»", scans: 900, flagged: 3)
            .Row(B, "аутсайдер", "Ресторан «Бота»", "Ресторан", "Медеуский", scans: 5, flagged: 1)
            .Row(C, "участник", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 300)
            .Row(D, "исключен", "Базар «Береке»", "Рынок", "Турксибский", scans: 0, reason: "Отказ от сканирования")
            .Row(E, "аутсайдер", HtmlName, scans: 7));
        await Load("2021-07-12", new ExportBuilder()
            .Row(A, "лидер", "Кафе «Достар»", scans: 950, flagged: 2)
            .Row(B, "аутсайдер", "Ресторан «Бота»", "Ресторан", "Медеуский", scans: 3)
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 700)
            .Row(D, "участник", "Базар «Береке»", "Рынок", "Турксибский", scans: 200)
            .Row(F, "лидер", FormulaName, scans: 800));
        await Load("2021-07-19", new ExportBuilder()
            .Row(A, "аутсайдер", "Кафе «Достар»", scans: 10, flagged: 4)
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 720)
            .Row(D, "участник", "Базар «Береке»", "Рынок", "Турксибский", scans: 210)
            .Row(F, "лидер", FormulaName, scans: 810));
        await Load("2021-07-26", new ExportBuilder().Row(W, "лидер", "Отозванная неделя", scans: 1));
        await Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 7, 26), "test", "ошибка в файле");
        await Load("2021-08-02", new ExportBuilder().Row(X, "лидер", "Черновик", scans: 1), publish: false);
    }
}

public static class DocumentExtensions
{
    public static IElement ByTestId(this IParentNode node, string id) =>
        node.QuerySelector($"[data-testid='{id}']") ?? throw new InvalidOperationException($"No element has data-testid='{id}'.");

    public static IReadOnlyList<IElement> AllByTestId(this IParentNode node, string id) =>
        [.. node.QuerySelectorAll($"[data-testid='{id}']")];

    public static string Text(this IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
