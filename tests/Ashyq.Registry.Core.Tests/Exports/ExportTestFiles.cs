using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Spreadsheets;
using Ashyq.Registry.Testing;
using Npgsql;

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

    /// <summary>
    /// The aliases of the reference data as the migrations install them, read from a freshly migrated database
    /// (so that the tests follow the reference data instead of a copy of it).
    /// </summary>
    public static CategoryMatcher Categories => MigratedCategories.Value;

    private static readonly Lazy<CategoryMatcher> MigratedCategories = new(() => ReadMigratedAliasesAsync().GetAwaiter().GetResult());

    private static async Task<CategoryMatcher> ReadMigratedAliasesAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestCluster.CreateDatabaseAsync("aliases"));
        await using var command = dataSource.CreateCommand("SELECT alias, category_code FROM category_aliases");
        await using var reader = await command.ExecuteReaderAsync();
        var aliases = new List<(string, string)>();
        while (await reader.ReadAsync())
            aliases.Add((reader.GetString(0), reader.GetString(1)));
        return new CategoryMatcher(aliases);
    }

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
