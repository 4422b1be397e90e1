using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Testing;
using CsvHelper;
using ExcelDataReader;
using Npgsql;

namespace Ashyq.Registry.Core.Tests.Demo;

/// <summary>A data row of an export file as the contract reads it, kept simple and independent of the generator.</summary>
internal sealed record OracleRow(
    string Bin,
    string Name,
    string CategoryCode,
    string? DistrictText,
    int Scans,
    int FlaggedVisitors,
    BusinessStatus Status,
    string? Reason);

/// <summary>
/// A deliberately small reader of the demo files, written from the contract alone, so that the demo's
/// figures are checked against the bytes on disk rather than against the generator's own model.
/// </summary>
internal static class ExportFileOracle
{
    private static readonly string[] TotalWords = ["итого", "всего", "барлығы", "жиыны", "total"];

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["бин"] = "bin",
        ["иин"] = "bin",
        ["бин/иин"] = "bin",
        ["иин/бин"] = "bin",
        ["бсн"] = "bin",
        ["жсн"] = "bin",
        ["бсн/жсн"] = "bin",
        ["bin"] = "bin",
        ["iin"] = "bin",
        ["bin/iin"] = "bin",
        ["наименование"] = "name",
        ["наименование объекта"] = "name",
        ["название"] = "name",
        ["атауы"] = "name",
        ["нысан атауы"] = "name",
        ["name"] = "name",
        ["business name"] = "name",
        ["вид деятельности"] = "category",
        ["категория"] = "category",
        ["сфера деятельности"] = "category",
        ["қызмет түрі"] = "category",
        ["санат"] = "category",
        ["category"] = "category",
        ["activity"] = "category",
        ["район"] = "district",
        ["аудан"] = "district",
        ["district"] = "district",
        ["количество сканирований"] = "scans",
        ["кол-во сканирований"] = "scans",
        ["сканирований"] = "scans",
        ["сканерлеу саны"] = "scans",
        ["scans"] = "scans",
        ["выявлено нарушителей"] = "flagged",
        ["выявлено лиц с нарушением режима самоизоляции"] = "flagged",
        ["анықталған бұзушылар"] = "flagged",
        ["flagged visitors"] = "flagged",
        ["статус"] = "status",
        ["мәртебе"] = "status",
        ["мәртебесі"] = "status",
        ["status"] = "status",
        ["причина"] = "reason",
        ["причина исключения"] = "reason",
        ["примечание"] = "reason",
        ["себебі"] = "reason",
        ["ескерту"] = "reason",
        ["reason"] = "reason",
        ["note"] = "reason",
    };

    private static readonly Dictionary<string, BusinessStatus> Statuses = new()
    {
        ["лидер"] = BusinessStatus.Leader,
        ["көшбасшы"] = BusinessStatus.Leader,
        ["leader"] = BusinessStatus.Leader,
        ["аутсайдер"] = BusinessStatus.Outsider,
        ["недобросовестный"] = BusinessStatus.Outsider,
        ["outsider"] = BusinessStatus.Outsider,
        ["участник"] = BusinessStatus.Participant,
        ["қатысушы"] = BusinessStatus.Participant,
        ["participant"] = BusinessStatus.Participant,
        ["исключен"] = BusinessStatus.Excluded,
        ["шығарылды"] = BusinessStatus.Excluded,
        ["excluded"] = BusinessStatus.Excluded,
    };

    // The built-in aliases as the migrated database holds them (0002_reference_data.sql and later), not a copy:
    // a change to the reference data is what the oracle reads too.
    private static readonly Lazy<(string Alias, string Code)[]> BuiltInAliases = new(ReadBuiltInAliases);

    private static (string Alias, string Code)[] ReadBuiltInAliases()
    {
        using var connection = new NpgsqlConnection(TestCluster.CreateDatabaseAsync("oracle").GetAwaiter().GetResult());
        connection.Open();
        using var command = new NpgsqlCommand("SELECT alias, category_code FROM category_aliases WHERE is_builtin ORDER BY alias", connection);
        using var reader = command.ExecuteReader();
        var aliases = new List<(string, string)>();
        while (reader.Read())
            aliases.Add((reader.GetString(0), reader.GetString(1)));
        Assert.True(aliases.Count >= 40, $"only {aliases.Count} built-in aliases in the migrated database");
        return [.. aliases];
    }

    private static readonly string[] Districts =
    [
        "алатауский", "алмалинский", "ауэзовский", "бостандыкский", "жетысуский", "медеуский", "наурызбайский",
        "турксибский", "алатау", "алмалы", "әуезов", "бостандық", "жетісу", "медеу", "наурызбай", "түрксіб", "alatau",
        "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib",
    ];

    static ExportFileOracle() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static List<OracleRow> Read(string path)
    {
        var records = path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? ReadXlsx(path) : ReadCsv(path);
        var headerIndex = records.FindIndex(r => r.Select(Header).Contains("bin") && r.Select(Header).Contains("name"));
        Assert.True(headerIndex is >= 0 and <= 10, $"{path}: no header row within the first lines");
        var columns = records[headerIndex].Select(Header).ToList();
        int Column(string field) => columns.IndexOf(field);

        var rows = new List<OracleRow>();
        foreach (var record in records.Skip(headerIndex + 1))
        {
            string? Cell(string field) => Column(field) is var i and >= 0 && i < record.Length && record[i].Trim().Length > 0
                ? record[i].Trim()
                : null;

            if (record.All(c => c.Trim().Length == 0))
                continue;
            var first = record.First(c => c.Trim().Length > 0).Trim().ToLowerInvariant();
            if (Cell("bin") is null && TotalWords.Any(first.StartsWith))
                continue;

            var bin = (Cell("bin") ?? "").Replace(" ", "", StringComparison.Ordinal).PadLeft(12, '0');
            Assert.True(Bin.IsValid(bin), $"{path}: invalid BIN '{Cell("bin")}'");
            var name = Cell("name");
            Assert.True(name is { Length: <= 300 }, $"{path}: bad name for {bin}");
            var status = Normalise(Cell("status") ?? "");
            Assert.True(Statuses.ContainsKey(status), $"{path}: unknown status '{status}' for {bin}");
            var district = Cell("district");
            Assert.True(district is null || IsKnownDistrict(district), $"{path}: unknown district '{district}' for {bin}");
            Assert.True(int.TryParse(Cell("scans"), NumberStyles.None, CultureInfo.InvariantCulture, out var scans));
            var flagged = 0;
            Assert.True(Cell("flagged") is null
                || int.TryParse(Cell("flagged"), NumberStyles.None, CultureInfo.InvariantCulture, out flagged));
            rows.Add(new OracleRow(bin, name!, Categorise(Cell("category") ?? ""), district, scans, flagged,
                Statuses[status], Cell("reason")));
        }
        var duplicates = rows.GroupBy(r => r.Bin).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{path}: duplicate BINs {string.Join(", ", duplicates)}");
        return rows;
    }

    /// <summary>
    /// The category a text maps to. Whether a hyphen ends a word is left open by the contract, so both
    /// readings are tried and must agree; a text that two categories could claim fails the test.
    /// </summary>
    public static string Categorise(string text)
    {
        var normalised = Normalise(text);
        var hyphenSplits = MatchingCodes(normalised, hyphenIsBoundary: true);
        var hyphenJoins = MatchingCodes(normalised, hyphenIsBoundary: false);
        Assert.True(hyphenSplits.SetEquals(hyphenJoins), $"'{text}' maps differently depending on hyphens");
        Assert.True(hyphenSplits.Count <= 1, $"'{text}' matches {string.Join(", ", hyphenSplits)}");
        return hyphenSplits.SingleOrDefault() ?? "other";
    }

    private static HashSet<string> MatchingCodes(string text, bool hyphenIsBoundary)
    {
        bool IsWordChar(char c) => char.IsLetterOrDigit(c) || (!hyphenIsBoundary && c == '-');
        var codes = new HashSet<string>();
        foreach (var (alias, code) in BuiltInAliases.Value)
        {
            for (var at = text.IndexOf(alias, StringComparison.Ordinal); at >= 0; at = text.IndexOf(alias, at + 1, StringComparison.Ordinal))
            {
                var end = at + alias.Length;
                if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end])))
                {
                    codes.Add(code);
                    break;
                }
            }
        }
        return codes;
    }

    private static bool IsKnownDistrict(string text)
    {
        var normalised = Normalise(text);
        foreach (var word in new[] { " район", " ауданы", " district" })
        {
            if (normalised.EndsWith(word, StringComparison.Ordinal))
                normalised = normalised[..^word.Length];
        }
        return Districts.Contains(normalised);
    }

    private static string Header(string cell)
    {
        var text = Normalise(cell.Replace("№", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal)
            .Replace(":", "", StringComparison.Ordinal));
        while (text.Contains("  ", StringComparison.Ordinal))
            text = text.Replace("  ", " ", StringComparison.Ordinal);
        return Fields.GetValueOrDefault(text, "");
    }

    private static string Normalise(string text) => text.Trim().ToLowerInvariant().Replace('ё', 'е');

    private static List<string[]> ReadCsv(string path)
    {
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            text = CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetString(bytes);
        }

        // Title lines come before the header row; CsvHelper starts at the header.
        var lines = text.Split('\n');
        foreach (var (line, index) in lines.Take(12).Select((l, i) => (l, i)))
        {
            foreach (var separator in new[] { ';', ',' })
            {
                var headers = line.TrimEnd('\r').Split(separator).Select(Header).ToList();
                if (!headers.Contains("bin") || !headers.Contains("name"))
                    continue;
                var records = new List<string[]>();
                using var reader = CsvReader.Create(
                    new StringReader(string.Join('\n', lines.Skip(index))),
                    CsvReaderOptions.Default with { Separator = separator, HasHeader = false });
                while (reader.Read())
                    records.Add(reader.Current.ToArray());
                return records;
            }
        }
        throw new InvalidDataException($"{path}: no header row");
    }

    private static List<string[]> ReadXlsx(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        var records = new List<string[]>();
        while (reader.Read())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells[i] = reader.GetValue(i) switch
                {
                    null => "",
                    double number => number.ToString("0.##########", CultureInfo.InvariantCulture),
                    DateTime date => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? "",
                };
            }
            records.Add(cells);
        }
        return records;
    }
}
