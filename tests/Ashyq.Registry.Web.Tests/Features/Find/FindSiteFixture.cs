using System.Globalization;
using System.Net;
using System.Text;
using Ashyq.Registry.Testing;

namespace Ashyq.Registry.Web.Tests.Features.Find;

/// <summary>
/// Two published weeks of businesses with addresses, loaded through the real pipeline. 2021-07-12 lists
/// every business; 2021-07-19, the latest, every one but <see cref="Stale"/>.
/// </summary>
public sealed class FindSiteFixture : LoadedSiteFixture
{
    public static readonly string Demo = ExportBuilder.BinFor(201);
    public static readonly string Abaya = ExportBuilder.BinFor(202);
    public static readonly string AbayaPlaza = ExportBuilder.BinFor(203);
    public static readonly string CafeOnAbaya = ExportBuilder.BinFor(204);
    public static readonly string Pharmacy = ExportBuilder.BinFor(205);
    public static readonly string Salon = ExportBuilder.BinFor(206);
    public static readonly string Restaurant = ExportBuilder.BinFor(207);
    public static readonly string Hostile = ExportBuilder.BinFor(208);
    public static readonly string Stale = ExportBuilder.BinFor(209);

    /// <summary>A legal entity whose BIN starts with 0007.</summary>
    public static readonly string NumberedLikeDemo = ExportBuilder.BinFor(7_000_001);

    /// <summary>An individual: findable by the full IIN only.</summary>
    public static readonly string Individual = ExportBuilder.IinFor(1);

    public const string HostileName = "<script>alert('x')</script> & \"Кафе\" <b>Жұлдыз</b>";

    protected override async Task LoadWeeksAsync()
    {
        await LoadWeek("2021-07-12", includeStale: true);
        await LoadWeek("2021-07-19", includeStale: false);
    }

    private Task LoadWeek(string week, bool includeStale)
    {
        var file = new StringBuilder("БИН;Наименование;Вид деятельности;Район;Адрес;Количество сканирований;Выявлено нарушителей;Статус;Причина\r\n");
        void Row(string bin, string name, string district, string address, string status) =>
            file.Append(CultureInfo.InvariantCulture, $"{bin};{name};Кафе;{district};{address};100;0;{status};\r\n");
        Row(Demo, "Демо-кафе №0007", "Бостандыкский", "ул. Тимирязева, 5", "участник");
        Row(Abaya, "Абая", "Медеуский", "пр. Достык, 1", "участник");
        Row(AbayaPlaza, "Абая Плаза", "Ауэзовский", "мкр. Самал-2, 3", "участник");
        Row(CafeOnAbaya, "Кафе на Абая", "Ауэзовский", "", "участник");
        Row(Pharmacy, "Аптека «Шипагер»", "Алмалинский", "ул. Абая, 12", "лидер");
        Row(Salon, "Салон «Жібек»", "Алмалинский", "ул. Абая, 120", "аутсайдер");
        Row(Restaurant, "Ресторан «Тау»", "Медеуский", "ул. Кабанбай батыра, 3", "участник");
        Row(Hostile, "\"" + HostileName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", "Жетысуский", "ул. Райымбека, 7", "лидер");
        Row(NumberedLikeDemo, "ТОО «Прочее»", "Жетысуский", "ул. Сейфуллина, 9", "участник");
        Row(Individual, "ИП Иванов", "Жетысуский", "ул. Сейфуллина, 11", "участник");
        if (includeStale)
            Row(Stale, "Кофейня «Старая»", "Турксибский", "ул. Сейфуллина, 40", "лидер");
        return Load(week, Encoding.UTF8.GetBytes(file.ToString()));
    }

    /// <summary>Gets a page read in the language given.</summary>
    public async Task<AngleSharp.Dom.IDocument> PageAsync(string url, string? language)
    {
        using var client = Client(language);
        return await PageAsync(url, HttpStatusCode.OK, client);
    }
}
