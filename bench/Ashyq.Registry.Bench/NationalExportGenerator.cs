using System.Globalization;
using Ashyq.Registry.Core.Demo;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Bench;

/// <summary>
/// National-scale weekly exports for benchmarks: a fixed population of fictitious businesses, each listed
/// in most weeks with a realistic mix of statuses. Rows are made one at a time and streamed to the file.
/// </summary>
public sealed class NationalExportGenerator(int businesses, int seed = 2021)
{
    public static readonly DateOnly FirstWeek = new(2021, 6, 7);

    private static readonly string[] CategoryTexts =
    [
        "Кафе", "Ресторан", "Столовая", "Кофейня", "Общепит", "Рынок", "ТЦ", "Торговый центр", "Торговый дом",
        "Салон красоты", "Парикмахерская", "Барбершоп", "Детский центр", "Фитнес-клуб", "Йога-центр", "Спортзал",
        "Гостиница", "Хостел", "Кинотеатр", "Боулинг", "Караоке", "Аптека", "Автомойка", "Ателье",
    ];

    private static readonly string[] Districts =
        ["alatau", "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib"];

    public static DateOnly WeekStart(int week) => FirstWeek.AddDays(7 * week);

    /// <summary>
    /// Writes week <paramref name="week"/> (0-based) and returns how many rows it holds; with
    /// <paramref name="everyBusiness"/> no business is missing, so the row count is the population.
    /// <paramref name="movedPercent"/> in a hundred businesses (spread evenly) give a new address and
    /// are otherwise as the week draws them, so that a week changing that share of businesses can be made.
    /// </summary>
    public int WriteWeek(Stream output, ExportLayout layout, int week, bool everyBusiness = false, int movedPercent = 0)
    {
        var random = new Random(HashCode.Combine(seed, week));
        var rows = 0;
        using var writer = WeeklyExportWriter.Create(output, layout, WeekStart(week));
        for (var number = 0; number < businesses; number++)
        {
            // About one business in thirty is missing from any given week.
            if (random.Next(30) == 0 && !everyBusiness)
                continue;
            var row = Row(number, random);
            if (movedPercent > 0 && number * movedPercent % 100 < movedPercent)
                row = row with { Address = string.Create(CultureInfo.InvariantCulture, $"пр. Новый, {(number % 300) + 1}") };
            writer.WriteRow(row);
            rows++;
        }
        writer.Complete();
        return rows;
    }

    private static ExportFileRow Row(int number, Random random)
    {
        var draw = random.Next(1000);
        var status = draw switch
        {
            < 25 => BusinessStatus.Leader,
            < 145 => BusinessStatus.Outsider,
            < 155 => BusinessStatus.Excluded,
            _ => BusinessStatus.Participant,
        };
        var scans = status switch
        {
            BusinessStatus.Leader => random.Next(1500, 6000),
            BusinessStatus.Outsider => random.Next(0, 16),
            BusinessStatus.Excluded => random.Next(0, 8),
            _ => random.Next(40, 1400),
        };
        return new ExportFileRow(
            BinOf(number),
            string.Create(CultureInfo.InvariantCulture, $"ТОО «Бенч-объект №{number:0000000}»"),
            CategoryTexts[number % CategoryTexts.Length],
            Districts[(number / CategoryTexts.Length) % Districts.Length],
            string.Create(CultureInfo.InvariantCulture, $"ул. Примерная, {(number % 300) + 1}"),
            new DateOnly(2021, 4, 1).AddDays(number % 60),
            scans,
            random.Next(200) == 0 ? 1 : 0,
            status,
            status == BusinessStatus.Excluded ? "Не сканирует посетителей" : null);
    }

    /// <summary>
    /// A valid BIN unique to the business: its number scattered over ten digits (a bijection, since the
    /// multiplier is coprime to ten), then an eleventh digit chosen so that a check digit exists.
    /// </summary>
    internal static string BinOf(int number)
    {
        var scattered = ((number * 7_919_393L) + 1_234_567L) % 10_000_000_000L;
        var tenDigits = scattered.ToString("0000000000", CultureInfo.InvariantCulture);
        for (var eleventh = 0; eleventh < 10; eleventh++)
        {
            if (Bin.Complete(tenDigits + (char)('0' + eleventh)) is { } bin)
                return bin;
        }
        throw new InvalidOperationException($"No valid BIN for business {number}.");
    }
}
