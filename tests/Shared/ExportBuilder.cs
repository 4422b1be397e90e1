using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Testing;

/// <summary>Builds weekly export CSVs in the Russian dialect of the contract, one business per call.</summary>
public sealed class ExportBuilder
{
    private readonly StringBuilder _text = new("БИН;Наименование;Вид деятельности;Район;Количество сканирований;Выявлено нарушителей;Статус;Причина\r\n");

    /// <summary>A legal entity's BIN (fifth digit 4), distinct for each n below 10,000,000,000.</summary>
    public static string BinFor(int n) => Bin.Complete(LegalEntity(n)) ?? Bin.Complete(LegalEntity(n + 500_000))!;

    /// <summary>An individual's IIN (born 15 March 1985, so the fifth digit is 1), distinct for each n below 5,000.</summary>
    public static string IinFor(int n) => Bin.Complete(Individual(n)) ?? Bin.Complete(Individual(n + 5_000))!;

    private static string LegalEntity(long n) =>
        string.Create(CultureInfo.InvariantCulture, $"{n / 1_000_000:D4}4{n % 1_000_000:D6}");

    private static string Individual(int n) => string.Create(CultureInfo.InvariantCulture, $"8503153{n:D4}");

    public ExportBuilder Row(string bin, string status, string name = "Кафе «Тест»", string category = "Кафе", string district = "Алмалинский",
        int scans = 100, int flagged = 0, string reason = "")
    {
        _text.Append(CultureInfo.InvariantCulture,
            $"{bin};{name};{category};{district};{scans};{flagged};{status};{reason}\r\n");
        return this;
    }

    public ExportBuilder Line(string raw)
    {
        _text.Append(raw).Append("\r\n");
        return this;
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(_text.ToString());
}
