namespace Ashyq.Registry.Core.Exports;

/// <summary>Almaty's eight districts in the Russian, Kazakh and English spellings of the export contract.</summary>
public static class DistrictMatcher
{
    private static readonly string[] Suffixes = [" район", " ауданы", " district"];

    private static readonly Dictionary<string, string> Names = BuildNames();

    /// <summary>The district code, or null when the text names none of the eight districts.</summary>
    public static string? Match(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = TextNormalizer.Fold(raw);
        foreach (var suffix in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                text = text[..^suffix.Length];
                break;
            }
        }
        return Names.GetValueOrDefault(text);
    }

    private static Dictionary<string, string> BuildNames()
    {
        (string Code, string Ru, string Kk, string En)[] districts =
        [
            ("alatau", "Алатауский", "Алатау", "Alatau"),
            ("almaly", "Алмалинский", "Алмалы", "Almaly"),
            ("auezov", "Ауэзовский", "Әуезов", "Auezov"),
            ("bostandyk", "Бостандыкский", "Бостандық", "Bostandyk"),
            ("zhetysu", "Жетысуский", "Жетісу", "Zhetysu"),
            ("medeu", "Медеуский", "Медеу", "Medeu"),
            ("nauryzbay", "Наурызбайский", "Наурызбай", "Nauryzbay"),
            ("turksib", "Турксибский", "Түрксіб", "Turksib"),
        ];
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, ru, kk, en) in districts)
        {
            names[TextNormalizer.Fold(ru)] = code;
            names[TextNormalizer.Fold(kk)] = code;
            names[TextNormalizer.Fold(en)] = code;
        }
        return names;
    }
}
