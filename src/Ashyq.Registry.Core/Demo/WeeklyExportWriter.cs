using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Core.Spreadsheets;
using CsvHelper;

namespace Ashyq.Registry.Core.Demo;

/// <summary>The shapes of weekly export file the ministry is known to send (see the contract's dialects).</summary>
public enum ExportLayout
{
    /// <summary>Russian headers, Windows-1251, ';', CRLF, a title line, a № column and a closing «Итого» row.</summary>
    RussianCp1251,

    /// <summary>The same as <see cref="RussianCp1251"/> with other header spellings, another column order and capitalised statuses.</summary>
    RussianCp1251Alternative,

    /// <summary>Russian headers as <see cref="RussianCp1251"/>, but UTF-8 without a BOM and no title or total rows.</summary>
    RussianUtf8,

    /// <summary>Kazakh headers and statuses, UTF-8 with a BOM, ',', LF, ISO dates, no title line.</summary>
    KazakhUtf8Bom,

    /// <summary>English headers in the first sheet of an .xlsx; BINs as numbers and joined dates as date cells.</summary>
    EnglishXlsx,
}

/// <summary>One row as it is written into an export file. The district is a registry code; the writer spells it.</summary>
public sealed record ExportFileRow(
    string Bin,
    string Name,
    string CategoryText,
    string? DistrictCode,
    string? Address,
    DateOnly? JoinedOn,
    int Scans,
    int FlaggedVisitors,
    BusinessStatus Status,
    string? Reason);

/// <summary>
/// Writes a weekly export file row by row in one of the ministry's layouts, streaming straight to the
/// output so that a national-scale file needs no more memory than a small one.
/// </summary>
public sealed class WeeklyExportWriter : IDisposable
{
    private static readonly string[] DistrictCodes =
        ["alatau", "almaly", "auezov", "bostandyk", "zhetysu", "medeu", "nauryzbay", "turksib"];

    private static readonly string[] DistrictsRu =
        ["Алатауский", "Алмалинский", "Ауэзовский", "Бостандыкский", "Жетысуский", "Медеуский", "Наурызбайский", "Турксибский"];

    private static readonly string[] DistrictsKk =
        ["Алатау", "Алмалы", "Әуезов", "Бостандық", "Жетісу", "Медеу", "Наурызбай", "Түрксіб"];

    private static readonly string[] DistrictsEn =
        ["Alatau", "Almaly", "Auezov", "Bostandyk", "Zhetysu", "Medeu", "Nauryzbay", "Turksib"];

    private readonly ExportLayout _layout;
    private readonly StreamWriter? _text;
    private readonly CsvWriter? _csv;
    private readonly XlsxWriter? _xlsx;
    private int _rows;
    private long _scans;
    private bool _completed;

    private WeeklyExportWriter(ExportLayout layout, Stream output, DateOnly weekStart)
    {
        _layout = layout;
        if (layout == ExportLayout.EnglishXlsx)
        {
            _xlsx = new XlsxWriter(output, "Participants");
            _xlsx.WriteRow($"Ashyq participants, Almaty, {Period(weekStart, "-")}");
            _xlsx.WriteRow();
            _xlsx.WriteRow([.. Headers(layout)]);
            return;
        }

        var (encoding, delimiter, newLine) = layout switch
        {
            ExportLayout.KazakhUtf8Bom => (new UTF8Encoding(true), ',', "\n"),
            ExportLayout.RussianUtf8 => (new UTF8Encoding(false), ';', "\r\n"),
            _ => (Cp1251, ';', "\r\n"),
        };
        _text = new StreamWriter(output, encoding, bufferSize: 1 << 16, leaveOpen: true) { NewLine = newLine };
        if (layout is ExportLayout.RussianCp1251 or ExportLayout.RussianCp1251Alternative)
        {
            _text.WriteLine($"Выгрузка участников проекта Ashyq, г. Алматы, за период {Period(weekStart, "–")}");
            _text.WriteLine();
        }
        _csv = CsvWriter.Create(_text, CsvWriterOptions.Default with { Separator = delimiter, NewLine = newLine }, leaveOpen: true);
        foreach (var header in Headers(layout))
            _csv.WriteField(header);
        _csv.EndRecord();
    }

    /// <summary>Windows-1251 that refuses, rather than silently replaces, a character it cannot carry.</summary>
    public static Encoding Cp1251 { get; } =
        CodePagesEncodingProvider.Instance.GetEncoding(1251, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("Windows-1251 is not available.");

    /// <summary>Starts a file for the week beginning on <paramref name="weekStart"/>; the output stream stays open.</summary>
    public static WeeklyExportWriter Create(Stream output, ExportLayout layout, DateOnly weekStart) =>
        new(layout, output, weekStart);

    public void WriteRow(ExportFileRow row)
    {
        _rows++;
        _scans += row.Scans;
        if (_xlsx is not null)
        {
            _xlsx.WriteRow(
                long.Parse(row.Bin, CultureInfo.InvariantCulture),
                row.Name,
                row.CategoryText,
                District(row),
                row.Address,
                row.JoinedOn,
                row.Scans,
                row.FlaggedVisitors,
                Status(row.Status),
                row.Reason);
            return;
        }

        var csv = _csv!;
        var joined = _layout == ExportLayout.KazakhUtf8Bom
            ? row.JoinedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : row.JoinedOn?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var scans = row.Scans.ToString(CultureInfo.InvariantCulture);
        var flagged = row.FlaggedVisitors.ToString(CultureInfo.InvariantCulture);
        switch (_layout)
        {
            case ExportLayout.RussianCp1251Alternative:
                csv.WriteField(_rows.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(row.Bin);
                csv.WriteField(row.Name);
                csv.WriteField(row.CategoryText);
                csv.WriteField(row.Address);
                csv.WriteField(District(row));
                csv.WriteField(scans);
                csv.WriteField(flagged);
                csv.WriteField(joined);
                csv.WriteField(Status(row.Status));
                csv.WriteField(row.Reason);
                break;
            default:
                if (_layout == ExportLayout.RussianCp1251)
                    csv.WriteField(_rows.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(row.Bin);
                csv.WriteField(row.Name);
                csv.WriteField(row.CategoryText);
                csv.WriteField(District(row));
                csv.WriteField(row.Address);
                csv.WriteField(joined);
                csv.WriteField(scans);
                csv.WriteField(flagged);
                csv.WriteField(Status(row.Status));
                csv.WriteField(row.Reason);
                break;
        }
        csv.EndRecord();
    }

    /// <summary>Writes the closing total row where the layout has one and flushes everything to the stream.</summary>
    public void Complete()
    {
        if (_completed)
            return;
        _completed = true;
        var count = _rows.ToString(CultureInfo.InvariantCulture);
        if (_xlsx is not null)
        {
            _xlsx.WriteRow(null, $"Total: {count}", null, null, null, null, _scans);
            _xlsx.Dispose();
            return;
        }

        var csv = _csv!;
        if (_layout is ExportLayout.RussianCp1251 or ExportLayout.RussianCp1251Alternative)
        {
            // The total sits in the № column so that the BIN column stays empty, as the contract expects.
            var cells = new string?[Headers(_layout).Length];
            cells[0] = $"Итого: {count}";
            cells[_layout == ExportLayout.RussianCp1251 ? 7 : 6] = _scans.ToString(CultureInfo.InvariantCulture);
            foreach (var cell in cells)
                csv.WriteField(cell);
            csv.EndRecord();
        }
        csv.Flush();
        _text!.Flush();
    }

    public void Dispose()
    {
        Complete();
        _csv?.Dispose();
        _text?.Dispose();
    }

    private static string Period(DateOnly weekStart, string dash) =>
        $"{weekStart:dd.MM.yyyy} {dash} {weekStart.AddDays(6):dd.MM.yyyy}";

    private static string[] Headers(ExportLayout layout) => layout switch
    {
        ExportLayout.RussianCp1251 =>
            ["№", "БИН", "Наименование", "Вид деятельности", "Район", "Адрес", "Дата присоединения",
             "Количество сканирований", "Выявлено нарушителей", "Статус", "Причина"],
        ExportLayout.RussianCp1251Alternative =>
            ["№", "БИН/ИИН", "Наименование объекта", "Сфера деятельности", "Адрес объекта", "Район",
             "Кол-во сканирований", "Выявлено лиц с нарушением режима самоизоляции", "Дата вступления", "Статус",
             "Причина исключения"],
        ExportLayout.RussianUtf8 =>
            ["БИН", "Наименование", "Вид деятельности", "Район", "Адрес", "Дата присоединения",
             "Количество сканирований", "Выявлено нарушителей", "Статус", "Причина"],
        ExportLayout.KazakhUtf8Bom =>
            ["БСН/ЖСН", "Атауы", "Қызмет түрі", "Аудан", "Мекенжай", "Қосылған күні", "Сканерлеу саны",
             "Анықталған бұзушылар", "Мәртебесі", "Себебі"],
        _ =>
            ["BIN", "Business name", "Activity", "District", "Address", "Date joined", "Scans", "Flagged visitors",
             "Status", "Note"],
    };

    private string Status(BusinessStatus status) => (_layout, status) switch
    {
        (ExportLayout.KazakhUtf8Bom, BusinessStatus.Leader) => "көшбасшы",
        (ExportLayout.KazakhUtf8Bom, BusinessStatus.Outsider) => "аутсайдер",
        (ExportLayout.KazakhUtf8Bom, BusinessStatus.Participant) => "қатысушы",
        (ExportLayout.KazakhUtf8Bom, BusinessStatus.Excluded) => "шығарылды",
        (ExportLayout.EnglishXlsx, BusinessStatus.Leader) => "Leader",
        (ExportLayout.EnglishXlsx, BusinessStatus.Outsider) => "Outsider",
        (ExportLayout.EnglishXlsx, BusinessStatus.Participant) => "Participant",
        (ExportLayout.EnglishXlsx, BusinessStatus.Excluded) => "Excluded",
        (ExportLayout.RussianCp1251Alternative, BusinessStatus.Leader) => "Лидер",
        (ExportLayout.RussianCp1251Alternative, BusinessStatus.Outsider) => "Недобросовестный",
        (ExportLayout.RussianCp1251Alternative, BusinessStatus.Participant) => "Участник",
        (ExportLayout.RussianCp1251Alternative, BusinessStatus.Excluded) => "Исключён",
        (_, BusinessStatus.Leader) => "лидер",
        (_, BusinessStatus.Outsider) => "аутсайдер",
        (_, BusinessStatus.Participant) => "участник",
        _ => "исключен",
    };

    // Real files spell a district both bare and with the word for "district"; which one a row gets
    // follows from its BIN so that a business keeps one spelling from week to week.
    private string? District(ExportFileRow row)
    {
        if (row.DistrictCode is null)
            return null;
        var index = Array.IndexOf(DistrictCodes, row.DistrictCode);
        if (index < 0)
            throw new ArgumentException($"Unknown district code '{row.DistrictCode}'.", nameof(row));
        var withWord = (row.Bin[^2] - '0') % 2 == 0;
        return _layout switch
        {
            ExportLayout.KazakhUtf8Bom => withWord ? DistrictsKk[index] + " ауданы" : DistrictsKk[index],
            ExportLayout.EnglishXlsx => withWord ? DistrictsEn[index] + " district" : DistrictsEn[index],
            _ => withWord ? DistrictsRu[index] + " район" : DistrictsRu[index],
        };
    }
}
