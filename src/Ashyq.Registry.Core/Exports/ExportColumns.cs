using System.Text;

namespace Ashyq.Registry.Core.Exports;

/// <summary>The fields of the weekly export, in the order the contract lists them.</summary>
public enum ExportField
{
    Bin,
    Name,
    Category,
    District,
    Address,
    JoinedOn,
    Scans,
    FlaggedVisitors,
    Status,
    Reason,
}

/// <summary>The header names and status spellings of the export contract, in Russian, Kazakh and English.</summary>
public static class ExportColumns
{
    public static IReadOnlyList<ExportField> Required { get; } =
        [ExportField.Bin, ExportField.Name, ExportField.Category, ExportField.Scans, ExportField.Status];

    private static readonly Dictionary<ExportField, string[]> HeaderNames = new()
    {
        [ExportField.Bin] = ["БИН", "ИИН", "БИН/ИИН", "ИИН/БИН", "БСН", "ЖСН", "БСН/ЖСН", "BIN", "IIN", "BIN/IIN"],
        [ExportField.Name] = ["Наименование", "Наименование объекта", "Название", "Атауы", "Нысан атауы", "Name", "Business name"],
        [ExportField.Category] = ["Вид деятельности", "Категория", "Сфера деятельности", "Қызмет түрі", "Санат", "Category", "Activity"],
        [ExportField.District] = ["Район", "Аудан", "District"],
        [ExportField.Address] = ["Адрес", "Адрес объекта", "Мекенжай", "Address"],
        [ExportField.JoinedOn] = ["Дата присоединения", "Дата вступления", "Қосылған күні", "Joined on", "Date joined"],
        [ExportField.Scans] = ["Количество сканирований", "Кол-во сканирований", "Сканирований", "Сканерлеу саны", "Scans"],
        [ExportField.FlaggedVisitors] =
        [
            "Выявлено нарушителей", "Выявлено лиц с нарушением режима самоизоляции", "Анықталған бұзушылар", "Flagged visitors",
        ],
        [ExportField.Status] = ["Статус", "Мәртебе", "Мәртебесі", "Status"],
        [ExportField.Reason] = ["Причина", "Причина исключения", "Примечание", "Себебі", "Ескерту", "Reason", "Note"],
    };

    private static readonly Dictionary<string, ExportField> FieldByHeader = HeaderNames
        .SelectMany(pair => pair.Value.Select(name => (Key: NormalizeHeader(name), Field: pair.Key)))
        .ToDictionary(x => x.Key, x => x.Field, StringComparer.Ordinal);

    private static readonly Dictionary<string, BusinessStatus> StatusBySpelling = new(StringComparer.Ordinal)
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
        ["исключен"] = BusinessStatus.Excluded, // исключён folds to this too
        ["шығарылды"] = BusinessStatus.Excluded,
        ["excluded"] = BusinessStatus.Excluded,
    };

    /// <summary>The field a header cell names, or null for a column the contract does not know.</summary>
    public static ExportField? FieldForHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return FieldByHeader.TryGetValue(NormalizeHeader(header), out var field) ? field : null;
    }

    /// <summary>
    /// The contract's header that a title would be if each '?' in it stood for one letter, or null. A
    /// Kazakh file saved as Windows-1251 loses the letters that code page lacks (қ, ү, ә, ...) to '?':
    /// 'Қызмет түрі' arrives as '?ызмет т?рі'.
    /// </summary>
    public static string? HeaderWithLostLetters(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (!title.Contains('?', StringComparison.Ordinal))
            return null;
        var damaged = NormalizeHeader(title);
        foreach (var name in HeaderNames.Values.SelectMany(names => names))
        {
            var intact = NormalizeHeader(name);
            if (intact.Length != damaged.Length)
                continue;
            var matches = true;
            for (var i = 0; i < intact.Length && matches; i++)
                matches = damaged[i] == intact[i] || (damaged[i] == '?' && char.IsLetter(intact[i]));
            if (matches)
                return name;
        }
        return null;
    }

    /// <summary>The name a message uses for a field that the file lacks: its Russian and English header.</summary>
    public static string DescribeField(ExportField field) => $"{HeaderNames[field][0]} ({EnglishName(field)})";

    public static BusinessStatus? ParseStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return StatusBySpelling.TryGetValue(TextNormalizer.Fold(text), out var status) ? status : null;
    }

    /// <summary>
    /// A header as it is matched: folded, without №, '.' and ':', and with no spaces around a slash,
    /// so that "№ БИН / ИИН:" and "бин/иин" are the same header.
    /// </summary>
    public static string NormalizeHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var stripped = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (c is not ('№' or '.' or ':'))
                stripped.Append(c);
        }
        return TextNormalizer.Fold(stripped.ToString()).Replace(" /", "/", StringComparison.Ordinal).Replace("/ ", "/", StringComparison.Ordinal);
    }

    private static string EnglishName(ExportField field) => field switch
    {
        ExportField.Bin => "BIN",
        ExportField.Name => "Name",
        ExportField.Category => "Category",
        ExportField.District => "District",
        ExportField.Address => "Address",
        ExportField.JoinedOn => "Joined on",
        ExportField.Scans => "Scans",
        ExportField.FlaggedVisitors => "Flagged visitors",
        ExportField.Status => "Status",
        ExportField.Reason => "Reason",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
