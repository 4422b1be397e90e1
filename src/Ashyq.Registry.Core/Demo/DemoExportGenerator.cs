using System.Globalization;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Core.Demo;

/// <summary>One generated demo export file.</summary>
public sealed record DemoExport(DateOnly WeekStart, string Path);

/// <summary>One demo week: the layout its file is written in and the rows it lists.</summary>
public sealed record DemoWeek(DateOnly WeekStart, ExportLayout Layout, string FileName, IReadOnlyList<ExportFileRow> Rows);

/// <summary>
/// Builds the demo weekly exports of Almaty from the week of 2021-06-07 to the week of 2021-07-19, whose
/// final week, once every week is loaded and published in order, gives the figures of the chamber's press
/// conference. Everything follows from one fixed seed, so every run writes the same bytes.
/// docs/demo-data.md explains the numbers.
/// </summary>
public static class DemoExportGenerator
{
    public const int Seed = 20210730;

    public static readonly DateOnly FirstWeek = new(2021, 6, 7);
    public const int WeekCount = 7;

    /// <summary>Participants (rows not excluded, after the two-week rule) the registry should count each week.</summary>
    public static IReadOnlyList<int> Participants { get; } = [1700, 2380, 3120, 3890, 4720, 5560, 6419];

    /// <summary>Participants of the final week by category.</summary>
    public static IReadOnlyDictionary<string, int> FinalCategories { get; } = new Dictionary<string, int>
    {
        ["catering"] = 2242,
        ["markets"] = 1117,
        ["beauty"] = 835,
        ["children"] = 491,
        ["fitness"] = 426,
        ["hotels"] = 410,
        ["leisure"] = 290,
        ["other"] = 608,
    };

    public const int FinalLeaders = 152;
    public const int FinalOutsiders = 934;
    public const int FinalRuleExclusions = 61;

    /// <summary>Flagged visitors summed over each week's rows.</summary>
    public static IReadOnlyList<int> FlaggedVisitors { get; } = [4, 9, 15, 22, 34, 51, 170];

    // Rows the file itself marks excluded, and outsiders the two-week rule excludes, in weeks before the last.
    private static readonly int[] FileExclusions = [4, 6, 5, 7, 6, 5];
    private static readonly int[] FileReadmissions = [1, 2, 2, 2, 2, 1];
    private static readonly int[] RuleExclusions = [0, 5, 8, 9, 12, 10];
    private static readonly int[] RuleReadmissions = [0, 1, 2, 2, 3, 2];

    // The chance that a leader of one week already led the week before, and that any other business did.
    private const double StillLeading = 0.88;
    private const double StartsLeading = 0.006;

    // Businesses that stop appearing after the given week without being excluded.
    private static readonly int[] Departures = [15, 20, 25, 30, 30, 35];

    private static readonly ExportLayout[] Layouts =
    [
        ExportLayout.RussianCp1251, ExportLayout.KazakhUtf8Bom, ExportLayout.EnglishXlsx,
        ExportLayout.RussianCp1251Alternative, ExportLayout.KazakhUtf8Bom, ExportLayout.EnglishXlsx,
        ExportLayout.RussianCp1251,
    ];

    public static DateOnly WeekStart(int week) => FirstWeek.AddDays(7 * week);

    /// <summary>When the chamber publishes a demo week: the Monday after it ends, at 10:00 in Almaty (UTC+6).</summary>
    public static DateTimeOffset PublishedAt(DateOnly weekStart) =>
        new(weekStart.AddDays(7).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(6));

    /// <summary>Writes every week's file into the directory (created if missing) and returns them in week order.</summary>
    public static IReadOnlyList<DemoExport> WriteAll(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var exports = new List<DemoExport>();
        foreach (var week in BuildWeeks())
        {
            var path = Path.Combine(outputDirectory, week.FileName);
            using (var file = File.Create(path))
            using (var writer = WeeklyExportWriter.Create(file, week.Layout, week.WeekStart))
            {
                foreach (var row in week.Rows)
                    writer.WriteRow(row);
            }
            exports.Add(new DemoExport(week.WeekStart, path));
        }
        return exports;
    }

    /// <summary>The demo weeks in order, as rows exactly as they are written to the files.</summary>
    public static IReadOnlyList<DemoWeek> BuildWeeks() => new Plan().Build();

    /// <summary>A fictitious business of the demo: everything about it that stays the same from week to week.</summary>
    private sealed record DemoBusiness(
        int Number,
        string Bin,
        string Name,
        string CategoryCode,
        string CategoryTextRu,
        string? CategoryTextKk,
        string? CategoryTextEn,
        string DistrictCode,
        string Address,
        DateOnly JoinedOn);

    private enum Role
    {
        Regular,
        FinalLeader,
        FinalOutsider,
        FinalTwiceOutsider,
        FinalParticipant,
    }

    private sealed class Member(DemoBusiness business)
    {
        public DemoBusiness Business { get; set; } = business;
        public Role Role { get; set; }

        /// <summary>The file status of each week, null where the week does not list the business.</summary>
        public BusinessStatus?[] Status { get; } = new BusinessStatus?[WeekCount];
        public string?[] Reason { get; } = new string?[WeekCount];
        public bool[] Forced { get; } = new bool[WeekCount];
        public bool[] NoOutsider { get; } = new bool[WeekCount];
        public int FirstWeek { get; set; } = -1;
        public int LastWeek { get; set; } = WeekCount - 1;

        /// <summary>The latest week by which the business must be listed, for the roles planned for it.</summary>
        public int ListedBy { get; set; } = WeekCount - 1;

        public void Force(int week, BusinessStatus status, string? reason = null)
        {
            Status[week] = status;
            Reason[week] = reason;
            Forced[week] = true;
        }
    }

    private sealed class Plan
    {
        private readonly Random _random = new(Seed);
        private readonly HashSet<string> _bins = [];
        private int _nextNumber = 1;

        public List<DemoWeek> Build()
        {
            var final = CreateFinalBusinesses();
            var departed = new List<Member>();
            PlanEarlierExclusions(final, departed);
            PlanDepartures(departed);
            PlanJoinWeeks(final, departed);

            var everyone = final.Concat(departed).OrderBy(m => m.FirstWeek).ThenBy(m => m.Business.Number).ToList();
            NumberInJoiningOrder(everyone);
            DateLateJoiners(everyone);
            FillStatuses(everyone);
            return Enumerable.Range(0, WeekCount).Select(week => BuildWeek(week, everyone)).ToList();
        }

        private List<Member> CreateFinalBusinesses()
        {
            var categories = new List<string>();
            foreach (var (code, count) in FinalCategories)
                categories.AddRange(Enumerable.Repeat(code, count));
            Shuffle(categories);

            var roles = new List<Role>();
            roles.AddRange(Enumerable.Repeat(Role.FinalLeader, FinalLeaders));
            roles.AddRange(Enumerable.Repeat(Role.FinalOutsider, FinalOutsiders));
            roles.AddRange(Enumerable.Repeat(Role.FinalParticipant, categories.Count - FinalLeaders - FinalOutsiders));
            Shuffle(roles);

            var members = new List<Member>();
            for (var i = 0; i < categories.Count; i++)
                members.Add(new Member(CreateBusiness(categories[i])) { Role = roles[i] });

            // The twice-outsiders are excluded in the final week, so their categories are not counted; they
            // come from the ranked categories roughly as the city's businesses do.
            string[] ranked = ["catering", "catering", "catering", "markets", "markets", "beauty", "children", "fitness", "hotels", "leisure"];
            for (var i = 0; i < FinalRuleExclusions; i++)
            {
                var member = new Member(CreateBusiness(ranked[_random.Next(ranked.Length)])) { Role = Role.FinalTwiceOutsider };
                member.ListedBy = WeekCount - 2;
                members.Add(member);
            }
            Shuffle(members);

            var last = WeekCount - 1;
            foreach (var member in members)
            {
                switch (member.Role)
                {
                    case Role.FinalLeader:
                        member.Force(last, BusinessStatus.Leader);
                        break;
                    case Role.FinalParticipant:
                        member.Force(last, BusinessStatus.Participant);
                        break;
                    case Role.FinalOutsider:
                        member.Force(last, BusinessStatus.Outsider);
                        member.NoOutsider[last - 1] = true;
                        break;
                    case Role.FinalTwiceOutsider:
                        member.Force(last, BusinessStatus.Outsider);
                        member.Force(last - 1, BusinessStatus.Outsider);
                        member.NoOutsider[last - 2] = true;
                        break;
                }
            }
            return members;
        }

        // Earlier exclusions: most of those businesses leave the export; a few come back the week after as
        // participants (readmitted) and are among the final week's plain participants.
        private void PlanEarlierExclusions(List<Member> final, List<Member> departed)
        {
            var readmittable = new Queue<Member>(final.Where(m => m.Role == Role.FinalParticipant));
            for (var week = 0; week < WeekCount - 1; week++)
            {
                for (var i = 0; i < FileExclusions[week]; i++)
                {
                    var member = i < FileReadmissions[week] ? readmittable.Dequeue() : NewDeparted(departed, week);
                    member.Force(week, BusinessStatus.Excluded, ExclusionReason(Layouts[week]));
                    member.ListedBy = Math.Min(member.ListedBy, week);
                    if (i < FileReadmissions[week])
                        member.Force(week + 1, BusinessStatus.Participant);
                }
                for (var i = 0; i < RuleExclusions[week]; i++)
                {
                    var member = i < RuleReadmissions[week] ? readmittable.Dequeue() : NewDeparted(departed, week);
                    member.Force(week, BusinessStatus.Outsider);
                    member.Force(week - 1, BusinessStatus.Outsider);
                    if (week >= 2)
                        member.NoOutsider[week - 2] = true;
                    member.ListedBy = Math.Min(member.ListedBy, week - 1);
                    if (i < RuleReadmissions[week])
                        member.Force(week + 1, BusinessStatus.Participant);
                }
            }
        }

        private Member NewDeparted(List<Member> departed, int lastWeek)
        {
            var member = new Member(CreateBusiness(RandomCategory())) { LastWeek = lastWeek };
            departed.Add(member);
            return member;
        }

        private void PlanDepartures(List<Member> departed)
        {
            for (var week = 0; week < WeekCount - 1; week++)
            {
                for (var i = 0; i < Departures[week]; i++)
                    NewDeparted(departed, week);
            }
        }

        // Each week's participant count fixes how many of the final businesses are listed by then:
        // listed = participants + excluded, and the businesses that later leave make up the rest.
        private void PlanJoinWeeks(List<Member> final, List<Member> departed)
        {
            foreach (var member in departed)
                member.FirstWeek = _random.Next(0, Math.Min(member.ListedBy, member.LastWeek) + 1);

            var pending = final.ToList();
            Shuffle(pending);
            // The final week's leaders are businesses that have been in the project a while: listed first,
            // they can have been leading for weeks, as a city's best scanners are.
            pending = [.. pending.OrderBy(m => m.Role == Role.FinalLeader ? 0 : 1)];
            var listedSoFar = 0;
            for (var week = 0; week < WeekCount; week++)
            {
                var excluded = week == WeekCount - 1 ? FinalRuleExclusions : FileExclusions[week] + RuleExclusions[week];
                var departedListed = departed.Count(m => m.FirstWeek <= week && week <= m.LastWeek);
                var target = Participants[week] + excluded - departedListed;
                var required = pending.Where(m => m.ListedBy <= week).ToList();
                var joining = target - listedSoFar;
                if (joining < required.Count)
                    throw new InvalidOperationException($"The demo plan cannot list everyone it must by week {week}.");
                var others = pending.Where(m => m.ListedBy > week).Take(joining - required.Count).ToList();
                foreach (var member in required.Concat(others))
                {
                    member.FirstWeek = week;
                    pending.Remove(member);
                }
                listedSoFar = target;
            }
            if (pending.Count != 0)
                throw new InvalidOperationException("The demo plan left final businesses unlisted.");
        }

        // The export lists businesses in the order they joined, and their names carry that number.
        private static void NumberInJoiningOrder(List<Member> everyone)
        {
            for (var i = 0; i < everyone.Count; i++)
            {
                var business = everyone[i].Business;
                var number = i + 1;
                var name = string.Create(CultureInfo.InvariantCulture, $"{business.Name[..business.Name.LastIndexOf('№')]}№{number:0000}»");
                everyone[i].Business = business with { Number = number, Name = name };
            }
        }

        // A business first listed in a later week joined around the start of that week.
        private void DateLateJoiners(List<Member> everyone)
        {
            foreach (var member in everyone.Where(m => m.FirstWeek > 0))
            {
                var joined = WeekStart(member.FirstWeek).AddDays(_random.Next(-6, 3));
                member.Business = member.Business with { JoinedOn = joined };
            }
        }

        // Statuses nobody planned: some leaders, some outsiders, never an outsider two weeks running (that
        // would be an exclusion the plan did not count), the rest plain participants. Businesses keep their
        // standing: filled from the last week back, a leader of the week after was most likely a leader
        // already, so each week's leaders are mostly last week's with a few arriving and a few dropping back.
        private void FillStatuses(List<Member> everyone)
        {
            for (var week = WeekCount - 1; week >= 0; week--)
            {
                var outsiderShare = 0.07 + (0.01 * week);
                foreach (var member in everyone)
                {
                    if (week < member.FirstWeek || week > member.LastWeek)
                    {
                        if (member.Forced[week])
                            throw new InvalidOperationException($"Business {member.Business.Number} has a status in week {week} but is not listed.");
                        member.Status[week] = null;
                        continue;
                    }
                    if (member.Forced[week])
                        continue;
                    var mayBeOutsider = !member.NoOutsider[week]
                        && (week == WeekCount - 1 || member.Status[week + 1] != BusinessStatus.Outsider)
                        && (week == 0 || !(member.Forced[week - 1] && member.Status[week - 1] == BusinessStatus.Outsider));
                    var leadsAfter = week < WeekCount - 1 && member.Status[week + 1] == BusinessStatus.Leader;
                    var leaderShare = leadsAfter ? StillLeading : StartsLeading;
                    var draw = _random.NextDouble();
                    member.Status[week] = draw < leaderShare ? BusinessStatus.Leader
                        : draw < leaderShare + outsiderShare && mayBeOutsider ? BusinessStatus.Outsider
                        : BusinessStatus.Participant;
                }
            }
        }

        private DemoWeek BuildWeek(int week, List<Member> everyone)
        {
            var listed = everyone.Where(m => m.Status[week] is not null).ToList();
            var flagged = new int[listed.Count];
            for (var i = 0; i < FlaggedVisitors[week]; i++)
            {
                int pick;
                do
                    pick = _random.Next(listed.Count);
                while (flagged[pick] >= 3);
                flagged[pick]++;
            }

            var layout = Layouts[week];
            var rows = new List<ExportFileRow>(listed.Count);
            for (var i = 0; i < listed.Count; i++)
            {
                var member = listed[i];
                var business = member.Business;
                var status = member.Status[week]!.Value;
                var scans = status switch
                {
                    BusinessStatus.Leader => _random.Next(1500, 6000),
                    BusinessStatus.Outsider => _random.Next(0, 16),
                    BusinessStatus.Excluded => _random.Next(0, 8),
                    _ => _random.Next(40, 1400),
                };
                var category = layout switch
                {
                    ExportLayout.KazakhUtf8Bom => business.CategoryTextKk ?? business.CategoryTextRu,
                    ExportLayout.EnglishXlsx => business.CategoryTextEn ?? business.CategoryTextRu,
                    _ => business.CategoryTextRu,
                };
                rows.Add(new ExportFileRow(
                    business.Bin,
                    business.Name,
                    category,
                    business.DistrictCode,
                    layout == ExportLayout.KazakhUtf8Bom ? KazakhAddress(business) : business.Address,
                    business.JoinedOn,
                    scans,
                    flagged[i],
                    status,
                    member.Reason[week]));
            }

            var start = WeekStart(week);
            var suffix = layout switch
            {
                ExportLayout.KazakhUtf8Bom => "kk-utf8bom.csv",
                ExportLayout.EnglishXlsx => "en.xlsx",
                _ => "ru-cp1251.csv",
            };
            return new DemoWeek(start, layout, $"week-{start:yyyy-MM-dd}-{suffix}", rows);
        }

        private DemoBusiness CreateBusiness(string categoryCode)
        {
            var number = _nextNumber++;
            var texts = CategoryTexts[categoryCode];
            var ru = texts.Ru[_random.Next(texts.Ru.Length)];
            var kk = texts.Kk is { } k && _random.Next(4) == 0 ? k : null;
            var en = texts.En is { } e && _random.Next(4) == 0 ? e : null;
            var form = _random.Next(3) == 0 ? "ТОО" : "ИП";
            var district = DistrictWeights[_random.Next(DistrictWeights.Length)];
            var street = Streets[_random.Next(Streets.Length)];
            var address = $"{street}, {_random.Next(1, 240)}";
            // Right for the first week's participants; later joiners get a later date once their week is known.
            var joined = new DateOnly(2021, 4, 19).AddDays(_random.Next(0, 56));
            return new DemoBusiness(
                number,
                NewNumber(individual: form == "ИП"),
                $"{form} «{texts.NameWord} №{number:0000}»",
                categoryCode,
                ru,
                kk,
                en,
                district,
                address,
                joined);
        }

        /// <summary>
        /// A partnership (ТОО) is listed under its BIN: year and month of registration first, as real BINs
        /// begin, then the kind of entity (4, 5 or 6). An individual entrepreneur (ИП) is listed under the
        /// owner's IIN: the birth date first, so its fifth digit is the first of the day (0–3). The public
        /// site shows the one in full and masks the other (docs/privacy.md); the demo has both.
        /// </summary>
        private string NewNumber(bool individual)
        {
            while (true)
            {
                var year = _random.Next(0, 21);
                var month = _random.Next(1, 13);
                var rest = _random.Next(0, 10_000_000);
                var firstEleven = individual
                    ? string.Create(CultureInfo.InvariantCulture, $"{60 + year:00}{month:00}{1 + rest % 28:00}{rest / 28 % 100_000:00000}")
                    : string.Create(CultureInfo.InvariantCulture, $"{year:00}{month:00}{4 + rest % 3}{rest / 3 % 1_000_000:000000}");
                if (Bin.Complete(firstEleven) is { } bin && _bins.Add(bin))
                    return bin;
            }
        }

        private string RandomCategory()
        {
            var pick = _random.Next(6419);
            foreach (var (code, count) in FinalCategories)
            {
                if (pick < count)
                    return code;
                pick -= count;
            }
            return "other";
        }

        private void Shuffle<T>(List<T> items)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }

    private static string ExclusionReason(ExportLayout layout) => layout switch
    {
        ExportLayout.KazakhUtf8Bom => "Келушілерді сканерлемейді",
        ExportLayout.EnglishXlsx => "Does not scan visitors",
        _ => "Не сканирует посетителей",
    };

    private static string KazakhAddress(DemoBusiness business) =>
        business.Address.Replace("ул. ", "", StringComparison.Ordinal).Replace("пр. ", "", StringComparison.Ordinal);

    private sealed record CategoryTextSet(string NameWord, string[] Ru, string? Kk, string? En);

    // Every text maps to its category through one built-in alias (whole words only, never two categories),
    // and every Russian text fits Windows-1251. The "other" texts match no alias on purpose.
    private static readonly Dictionary<string, CategoryTextSet> CategoryTexts = new()
    {
        ["catering"] = new("Демо-кафе",
            ["Общественное питание", "Кафе", "Ресторан", "Столовая", "Кофейня", "Бар", "Общепит",
             "Объект общественного питания", "Кафе быстрого питания", "Ресторан национальной кухни",
             "Летнее кафе", "Кофейня (навынос)", "Кафе «Демо-вкус»"],
            "Қоғамдық тамақтану", "Catering"),
        ["markets"] = new("Демо-рынок",
            ["Рынок", "Базар", "ТРЦ", "ТЦ", "Торговый центр", "Торговый дом", "Торгово-развлекательный центр",
             "Вещевой рынок", "Продуктовый рынок", "Рынки, ТРЦ и торговые дома"],
            "Базарлар мен сауда орталықтары", "Markets and shopping centres"),
        ["beauty"] = new("Демо-салон",
            ["Салон красоты", "Парикмахерская", "Барбершоп", "Ногтевая студия", "Салоны красоты и парикмахерские",
             "Салон красоты «Демо-стиль»", "Парикмахерская эконом-класса"],
            "Сұлулық салондары мен шаштараздар", "Beauty salons and hairdressers"),
        ["children"] = new("Демо-детство",
            ["Детский центр", "Детский оздоровительный центр", "Детский лагерь", "Детские оздоровительные центры",
             "Детский центр развития", "Летний детский лагерь"],
            "Балаларды сауықтыру орталықтары", "Children's health centres"),
        ["fitness"] = new("Демо-фитнес",
            ["Фитнес-клуб", "Фитнес", "Йога-центр", "Йога", "Тренажерный зал", "Тренажёрный зал", "Спортзал",
             "Фитнес-клубы и йога-центры"],
            "Фитнес-клубтар мен йога орталықтары", "Fitness clubs and yoga centres"),
        ["hotels"] = new("Демо-отель",
            ["Гостиница", "Отель", "Хостел", "Гостиницы и отели", "Отель (апартаменты)"],
            "Қонақ үйлер", "Hotels"),
        ["leisure"] = new("Демо-досуг",
            ["Кинотеатр", "Театр", "Музей", "Боулинг", "Бильярд", "Караоке", "Развлекательные и культурные объекты",
             "Частный музей"],
            "Ойын-сауық және мәдени нысандар", "Leisure and culture"),
        ["other"] = new("Демо-сервис",
            ["Ателье", "Автомойка", "Аптека", "Стоматология", "Химчистка", "Магазин одежды", "Компьютерный клуб",
             "Прокат велосипедов", "Цветочный магазин", "Шаштараз", "Ремонт обуви", "Фотостудия", "Книжный магазин"],
            null, null),
    };

    // Bigger districts carry more businesses.
    private static readonly string[] DistrictWeights =
    [
        "almaly", "almaly", "almaly", "bostandyk", "bostandyk", "bostandyk", "auezov", "auezov", "auezov",
        "medeu", "medeu", "zhetysu", "zhetysu", "turksib", "turksib", "alatau", "alatau", "nauryzbay",
    ];

    private static readonly string[] Streets =
        ["ул. Примерная", "ул. Образцовая", "пр. Демонстрационный", "ул. Учебная", "мкр. Условный", "ул. Макетная"];
}
