using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Ashyq.Registry.Web.Localization;

/// <summary>
/// Every label and message of the site in Russian, Kazakh and English. Each feature keeps its own
/// texts beside its code in a <c>*.texts.json</c> file (embedded), holding for every key all three
/// languages; a key missing a language, or defined twice (in one file or in two), stops the site at start.
/// </summary>
public sealed class Texts
{
    private readonly Dictionary<string, Dictionary<string, string>> _byKey;

    public Texts() : this(LoadEmbedded(typeof(Texts).Assembly))
    {
    }

    internal Texts(Dictionary<string, Dictionary<string, string>> byKey) => _byKey = byKey;

    public IReadOnlyCollection<string> Keys => _byKey.Keys;

    /// <summary>The text in the current request's language.</summary>
    public string this[string key] => Get(key, Languages.Current);

    public string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, this[key], args);

    public string Get(string key, string language)
    {
        if (!_byKey.TryGetValue(key, out var texts))
            throw new KeyNotFoundException($"No text has the key '{key}'.");
        return texts[language];
    }

    public bool Has(string key) => _byKey.ContainsKey(key);

    internal static Dictionary<string, Dictionary<string, string>> LoadEmbedded(Assembly assembly) =>
        Load(assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".texts.json", StringComparison.Ordinal))
            .Select(n => (n, (Func<Stream>)(() => assembly.GetManifestResourceStream(n)!))));

    /// <summary>Reads texts files, refusing a key that lacks a language or is defined twice, in one file or in two.</summary>
    internal static Dictionary<string, Dictionary<string, string>> Load(IEnumerable<(string Name, Func<Stream> Open)> files)
    {
        var all = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (resource, open) in files)
        {
            Dictionary<string, Dictionary<string, string>> file;
            using (var stream = open())
            using (var document = JsonDocument.Parse(stream))
            {
                // A key written twice in one file would otherwise keep its last value without a word.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                        throw new InvalidOperationException($"{resource}: the key '{property.Name}' is written twice in it.");
                }
                file = document.Deserialize<Dictionary<string, Dictionary<string, string>>>()
                    ?? throw new InvalidOperationException($"{resource} is empty.");
            }
            foreach (var (key, texts) in file)
            {
                var missing = Languages.All.Where(l => !texts.TryGetValue(l, out var t) || string.IsNullOrWhiteSpace(t)).ToList();
                if (missing.Count > 0)
                    throw new InvalidOperationException($"The text '{key}' in {resource} lacks {string.Join(", ", missing)}.");
                if (!all.TryAdd(key, texts))
                    throw new InvalidOperationException($"The text '{key}' is defined twice (again in {resource}).");
            }
        }
        return all;
    }
}
