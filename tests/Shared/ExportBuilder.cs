using System.Globalization;
using System.Text;
using Ashyq.Registry.Core.Exports;

namespace Ashyq.Registry.Testing;

/// <summary>Builds weekly export CSVs in the Russian dialect of the contract, one business per call.</summary>
public sealed class ExportBuilder
{
    private readonly StringBuilder _text = new("БИН;Наименование;Вид деятельности;Район;Количество сканирований;Выявлено нарушителей;Статус;Причина\r\n");

    public static string BinFor(int n) => Bin.Complete(n.ToString("D11", CultureInfo.InvariantCulture))
        ?? Bin.Complete((n + 500_000).ToString("D11", CultureInfo.InvariantCulture))!;

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
