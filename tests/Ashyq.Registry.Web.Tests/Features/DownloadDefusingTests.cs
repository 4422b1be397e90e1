using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// The list downloads through HTTP from a file whose addresses and reasons start like a formula (=, +,
/// -, @, tab, carriage return) and a category whose names do: every such cell reaches the spreadsheet
/// as plain text, in CSV and XLSX.
/// </summary>
public sealed class DownloadDefusingTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private const int Address = 5;
    private const int Category = 3;
    private const int Reason = 10;
    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly string[] Prefixes = ["=1+2 ", "+7 ", "-7 ", "@", "\t", "\r"];

    public async Task InitializeAsync()
    {
        await factory.ResetAsync();
        await ExecuteAsync("""
            INSERT INTO categories (code, name_ru, name_kk, name_en, sort_order)
            VALUES ('formula_test', '=Формула', '+Формула', '@Formula', 999) ON CONFLICT (code) DO NOTHING;
            INSERT INTO category_aliases (alias, category_code, is_builtin, created_at)
            SELECT 'Формульная категория', 'formula_test', false, now()
            WHERE NOT EXISTS (SELECT 1 FROM category_aliases WHERE category_code = 'formula_test');
            """);
        var file = new StringBuilder("БИН;Наименование;Вид деятельности;Район;Количество сканирований;Выявлено нарушителей;Статус;Причина;Адрес\r\n");
        for (var i = 0; i < Prefixes.Length; i++)
        {
            file.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(i + 1)};Кафе {i + 1};Кафе;Алмалинский;100;0;лидер;;\"{Prefixes[i]}ул. Абая\"\r\n");
            file.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(i + 11)};Рынок {i + 1};Кафе;Алмалинский;0;0;исключен;\"{Prefixes[i]}отказ\";\r\n");
        }
        file.Append(CultureInfo.InvariantCulture, $"{ExportBuilder.BinFor(21)};Кафе 21;Формульная категория;Алмалинский;100;0;лидер;;\r\n");
        var outcome = await factory.ImportAsync(Encoding.UTF8.GetBytes(file.ToString()), Week);
        Assert.Equal(ImportStates.Loaded, outcome.State);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Csv_AddressReasonAndCategory_StartingLikeAFormula_AreDefused()
    {
        var addresses = await RawValuesAsync("leaders", "address");
        var reasons = await RawValuesAsync("excluded", "reason");
        var leaders = Rows(await GetStringAsync("/lists/leaders.csv?week=" + Week));
        var excluded = Rows(await GetStringAsync("/lists/excluded.csv?week=" + Week));

        Assert.Equal(Prefixes.Length + 2, leaders.Count);
        Assert.Equal(Prefixes.Length + 1, excluded.Count);
        AssertDefused(addresses, leaders.Skip(1).Select(r => r[Address]).ToList());
        AssertDefused(reasons, excluded.Skip(1).Select(r => r[Reason]).ToList());
        Assert.Contains("'=Формула", leaders.Select(r => r[Category]));
        Assert.Contains("'@Formula", Rows(await GetStringAsync($"/lists/leaders.csv?week={Week}&lang=en")).Select(r => r[Category]));
        Assert.Contains("'+Формула", Rows(await GetStringAsync($"/lists/leaders.csv?week={Week}&lang=kk")).Select(r => r[Category]));
    }

    [Fact]
    public async Task Xlsx_AddressReasonAndCategory_StartingLikeAFormula_AreDefused()
    {
        var leaders = await SheetTextsAsync("/lists/leaders.xlsx?week=" + Week);
        var excluded = await SheetTextsAsync("/lists/excluded.xlsx?week=" + Week);

        Assert.Contains("'=1+2 ул. Абая", leaders);
        Assert.Contains("'+7 ул. Абая", leaders);
        Assert.Contains("'-7 ул. Абая", leaders);
        Assert.Contains("'@ул. Абая", leaders);
        Assert.Contains("'=Формула", leaders);
        Assert.Contains("'=1+2 отказ", excluded);
        Assert.Contains("'+7 отказ", excluded);
        Assert.Contains("'-7 отказ", excluded);
        Assert.Contains("'@отказ", excluded);
        Assert.Contains("'@Formula", await SheetTextsAsync($"/lists/leaders.xlsx?week={Week}&lang=en"));
        Assert.DoesNotContain(leaders.Concat(excluded), t => t.Length > 0 && t[0] is '=' or '+' or '-' or '@' or '\t' or '\r');
    }

    /// <summary>Every value as read that starts like a formula is in the download with a leading apostrophe, and no cell starts like one.</summary>
    private static void AssertDefused(List<string> raw, List<string> cells)
    {
        var risky = raw.Where(v => v[0] is '=' or '+' or '-' or '@' or '\t' or '\r').ToList();
        // The reader trims a cell's surrounding white space, so a leading tab or carriage return in the
        // file never reaches a list; those two prefixes are proven on Neutralise itself.
        Assert.True(risky.Count == 4, $"{risky.Count} values kept a leading formula character: {string.Join(" | ", raw)}");
        foreach (var value in risky)
            Assert.Contains("'" + value, cells);
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@' or '\t' or '\r');
    }

    /// <summary>The values of one field of a list as the JSON download gives them, that is, as read from the file.</summary>
    private async Task<List<string>> RawValuesAsync(string kind, string field)
    {
        var json = JsonDocument.Parse(await GetStringAsync($"/lists/{kind}.json?week={Week}"));
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty(field).GetString())
            .OfType<string>()
            .Where(v => v.Length > 0)
            .ToList();
    }

    private async Task<string> GetStringAsync(string url)
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync(url);
    }

    private async Task<List<string>> SheetTextsAsync(string url)
    {
        using var client = factory.CreateClient();
        var bytes = await client.GetByteArrayAsync(url);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var sheet = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        return XDocument.Load(sheet).Descendants(Sheet + "t").Select(t => t.Value).ToList();
    }

    /// <summary>A ';'-separated CSV split into rows of cells, with quoted cells unquoted.</summary>
    private static List<List<string>> Rows(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = csv.Length > 0 && csv[0] == '\uFEFF' ? 1 : 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                    cell.Append(csv[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    cell.Append(c);
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ';')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
