using Ashyq.Registry.Core.Weeks;

namespace Ashyq.Registry.Web.Cli;

/// <summary>Positional arguments and --flags (with or without a value) of one verb.</summary>
internal sealed class Arguments
{
    private static readonly HashSet<string> Switches = ["publish", "json", "confirm", "admin"];
    private readonly Dictionary<string, string?> _flags = [];

    public List<string> Positional { get; } = [];

    public bool IsEmpty => Positional.Count == 0 && _flags.Count == 0;

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            if (Switches.Contains(name))
            {
                parsed._flags[name] = null;
                continue;
            }
            if (i + 1 >= args.Length)
                throw new FormatException($"{arg} needs a value.");
            parsed._flags[name] = args[++i];
        }
        return parsed;
    }

    public bool Has(string name) => _flags.ContainsKey(name);

    public string? Value(string name) => _flags.GetValueOrDefault(name);

    public bool OnlyFlags(params string[] allowed) => _flags.Keys.All(allowed.Contains);

    public bool TryWeek(out DateOnly week, out string error)
    {
        week = default;
        error = "";
        if (Value("week") is not { } text)
        {
            error = "--week yyyy-MM-dd is required.";
            return false;
        }
        if (!WeekDates.TryParse(text, out week))
        {
            error = $"--week {text} is not a date in the form yyyy-MM-dd.";
            return false;
        }
        if (week.DayOfWeek != DayOfWeek.Monday)
        {
            error = $"--week {text} is a {week.DayOfWeek}; a reporting week starts on Monday.";
            return false;
        }
        return true;
    }
}
