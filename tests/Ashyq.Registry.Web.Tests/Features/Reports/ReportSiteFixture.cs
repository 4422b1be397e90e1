using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Core.Weeks;
using Ashyq.Registry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ashyq.Registry.Web.Tests.Features.Reports;

/// <summary>
/// Weeks of mid-2021 and one of 2022 loaded through the real pipeline once per test class:
/// <list type="bullet">
/// <item>2021-06-28 (Monday in June, Sunday in July): A leader, B outsider, C participant.</item>
/// <item>2021-07-05: A leader, B outsider (excluded by the two-week rule), C leader, D excluded by the file, no flagged-visitors column.</item>
/// <item>2021-07-12: published, then replaced by a second file (A outsider, C leader, D participant: readmitted, E newcomer).</item>
/// <item>2021-07-19: a refused file first, then A outsider (excluded by the rule), C leader, E leader, F outsider; flagged visitors reported.</item>
/// <item>2021-07-26: published and withdrawn with a reason that reads as a formula.</item>
/// <item>2021-08-02: C leader, E participant; 2022-01-03: C leader.</item>
/// </list>
/// </summary>
public sealed class ReportSiteFixture : LoadedSiteFixture
{
    public static readonly string A = ExportBuilder.BinFor(601);
    public static readonly string B = ExportBuilder.BinFor(602);
    public static readonly string C = ExportBuilder.BinFor(603);
    public static readonly string D = ExportBuilder.BinFor(604);
    public static readonly string E = ExportBuilder.BinFor(605);
    public static readonly string F = ExportBuilder.BinFor(606);
    public static readonly string W = ExportBuilder.BinFor(607);

    public const string WithdrawReason = "=HYPERLINK(\"http://example.invalid\") ошибка";
    public const string ReplaceReason = "в файле не хватало районов";

    protected override async Task LoadWeeksAsync()
    {
        await Load("2021-06-28", new ExportBuilder()
            .Row(A, "лидер", "Кафе «Достар»", scans: 900, flagged: 3)
            .Row(B, "аутсайдер", "Ресторан «Бота»", "Ресторан", "Медеуский", scans: 5, flagged: 1)
            .Row(C, "участник", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 300));
        await Load("2021-07-05", System.Text.Encoding.UTF8.GetBytes(
            "БИН;Наименование;Вид деятельности;Район;Количество сканирований;Статус;Причина\r\n"
            + $"{A};Кафе «Достар»;Кафе;Алмалинский;900;лидер;\r\n"
            + $"{B};Ресторан «Бота»;Ресторан;Медеуский;3;аутсайдер;\r\n"
            + $"{C};Салон красоты «Ару»;Салон красоты;Бостандыкский;700;лидер;\r\n"
            + $"{D};Базар «Береке»;Рынок;Турксибский;0;исключен;Отказ от сканирования\r\n"));
        await Load("2021-07-12", new ExportBuilder()
            .Row(A, "лидер", "Кафе «Достар»", scans: 950)
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 700));
        var replacement = await Site.ImportAsync(new ExportBuilder()
            .Row(A, "аутсайдер", "Кафе «Достар»", scans: 9, flagged: 2)
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 700)
            .Row(D, "участник", "Базар «Береке»", "Рынок", "Турксибский", scans: 200)
            .Row(E, "участник", "Отель «Шипа»", "Гостиница", "Ауэзовский", scans: 100).ToBytes(), "2021-07-12", publish: false);
        if (replacement.State != ImportStates.Loaded)
            throw new InvalidOperationException("The replacement did not load: " + replacement.State);
        var replacements = Site.Services.GetRequiredService<WeekReplacements>();
        var pending = await replacements.PendingAsync(new DateOnly(2021, 7, 12)) ?? throw new InvalidOperationException("No replacement waits.");
        await replacements.PublishAsync(new DateOnly(2021, 7, 12), "test", ReplaceReason, pending.ImportId);

        var refused = await Site.ImportAsync(System.Text.Encoding.UTF8.GetBytes("not;an;export\r\n1;2;3\r\n"), "2021-07-19", publish: false);
        if (refused.State != ImportStates.Failed)
            throw new InvalidOperationException("The broken file was not refused: " + refused.State);
        await Load("2021-07-19", new ExportBuilder()
            .Row(A, "аутсайдер", "Кафе «Достар»", scans: 10, flagged: 4)
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 720, flagged: 1)
            .Row(E, "лидер", "Отель «Шипа»", "Гостиница", "Ауэзовский", scans: 810)
            .Row(F, "аутсайдер", "Фитнес «Ақниет»", "Фитнес", "Алатауский", scans: 2));
        await Load("2021-07-26", new ExportBuilder().Row(W, "лидер", "Отозванная неделя", scans: 1));
        await Site.Services.GetRequiredService<WeekPublisher>().WithdrawAsync(new DateOnly(2021, 7, 26), "test", WithdrawReason);
        await Load("2021-08-02", new ExportBuilder()
            .Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 720)
            .Row(E, "участник", "Отель «Шипа»", "Гостиница", "Ауэзовский", scans: 300));
        await Load("2022-01-03", new ExportBuilder().Row(C, "лидер", "Салон красоты «Ару»", "Салон красоты", "Бостандыкский", scans: 700));
    }
}
