using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Spreadsheets;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>Writes fixture files into a directory of its own and opens them as exports.</summary>
internal sealed class ExportTestFiles : IDisposable
{
    // The valid BINs of the samples, for rows that must pass the check digit.
    public static readonly string[] ValidBins =
        ["004951446571", "352180377679", "900791101878", "199704026806", "246490207130", "108734993011", "165185066274"];

    public const string BadCheckDigitBin = "004951446572";

    public const string RussianHeader =
        "БИН;Наименование;Вид деятельности;Район;Адрес;Дата присоединения;Количество сканирований;Выявлено нарушителей;Статус;Причина";

    /// <summary>The built-in aliases of the reference data: every category's names and its aliases.</summary>
    public static CategoryMatcher Categories { get; } = new(
    [
        ("общественное питание", "catering"), ("қоғамдық тамақтану", "catering"), ("catering", "catering"),
        ("общепит", "catering"), ("объект общественного питания", "catering"), ("кафе", "catering"),
        ("ресторан", "catering"), ("столовая", "catering"), ("кофейня", "catering"), ("бар", "catering"),
        ("рынки, трц и торговые дома", "markets"), ("базарлар мен сауда орталықтары", "markets"),
        ("markets and shopping centres", "markets"), ("рынок", "markets"), ("базар", "markets"), ("трц", "markets"),
        ("тц", "markets"), ("торговый центр", "markets"), ("торгово-развлекательный центр", "markets"), ("торговый дом", "markets"),
        ("салоны красоты и парикмахерские", "beauty"), ("сұлулық салондары мен шаштараздар", "beauty"),
        ("beauty salons and hairdressers", "beauty"), ("салон красоты", "beauty"), ("парикмахерская", "beauty"),
        ("барбершоп", "beauty"), ("ногтевая студия", "beauty"),
        ("детские оздоровительные центры", "children"), ("балаларды сауықтыру орталықтары", "children"),
        ("children's health centres", "children"), ("детский центр", "children"), ("детский оздоровительный центр", "children"),
        ("детский лагерь", "children"),
        ("фитнес-клубы и йога-центры", "fitness"), ("фитнес-клубтар мен йога орталықтары", "fitness"),
        ("fitness clubs and yoga centres", "fitness"), ("фитнес", "fitness"), ("фитнес-клуб", "fitness"), ("йога", "fitness"),
        ("йога-центр", "fitness"), ("тренажерный зал", "fitness"), ("спортзал", "fitness"),
        ("гостиницы и отели", "hotels"), ("қонақ үйлер", "hotels"), ("hotels", "hotels"), ("гостиница", "hotels"),
        ("отель", "hotels"), ("хостел", "hotels"),
        ("развлекательные и культурные объекты", "leisure"), ("ойын-сауық және мәдени нысандар", "leisure"),
        ("leisure and culture", "leisure"), ("кинотеатр", "leisure"), ("театр", "leisure"), ("музей", "leisure"),
        ("боулинг", "leisure"), ("бильярд", "leisure"), ("караоке", "leisure"),
    ]);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ashyq-export-tests", Guid.NewGuid().ToString("N"));

    public ExportTestFiles() => Directory.CreateDirectory(_directory);

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Exports", "Samples", name);

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text, Encoding? encoding = null) =>
        WriteBytes(name, (encoding ?? new UTF8Encoding(false)).GetBytes(text));

    /// <summary>A CSV file of the given lines, joined with CRLF, in UTF-8 without BOM.</summary>
    public string WriteCsv(params string[] lines) => WriteText("export.csv", string.Join("\r\n", lines) + "\r\n");

    public string WriteXlsx(string name, params object?[][] rows)
    {
        var path = Path.Combine(_directory, name);
        using (var stream = File.Create(path))
        using (var writer = new XlsxWriter(stream, "Лист1"))
        {
            foreach (var row in rows)
                writer.WriteRow(row);
        }
        return path;
    }

    public static ExportFile Open(string path, string? originalFileName = null) =>
        ExportFile.Open(path, originalFileName ?? Path.GetFileName(path), Categories);

    public static (ExportFile File, List<ExportRowResult> Rows) Read(string path, string? originalFileName = null)
    {
        var file = Open(path, originalFileName);
        var rows = file.ReadRows().ToList();
        return (file, rows);
    }

    /// <summary>Reads a CSV with the Russian header and the given data lines (';' delimited, after the header line).</summary>
    public List<ExportRowResult> ReadRussian(params string[] dataLines)
    {
        var (file, rows) = Read(WriteCsv([RussianHeader, .. dataLines]));
        file.Dispose();
        return rows;
    }

    public static string Row(string bin, string name = "ТОО Тест", string category = "Кафе", string district = "Медеуский",
        string address = "ул. Абая, 1", string joinedOn = "15.07.2021", string scans = "10", string flagged = "0",
        string status = "участник", string reason = "") =>
        string.Join(';', bin, name, category, district, address, joinedOn, scans, flagged, status, reason);

    public static ExportFileException OpenFails(string path, string? originalFileName = null) =>
        Assert.Throws<ExportFileException>(() =>
        {
            using var file = Open(path, originalFileName);
            foreach (var _ in file.ReadRows())
            {
            }
        });

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
