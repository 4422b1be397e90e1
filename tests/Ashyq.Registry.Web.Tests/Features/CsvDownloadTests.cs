using System.Text;
using System.Text.Json;
using Ashyq.Registry.Core.Audit;
using Ashyq.Registry.Core.Imports;
using Ashyq.Registry.Testing;
using Ashyq.Registry.Web.Tests.Features.Staff;
using Npgsql;

namespace Ashyq.Registry.Web.Tests.Features;

/// <summary>
/// Each CSV download through HTTP with a cell that starts like a formula and holds a quote, a ';' and a
/// line break: the cell is defused, quoted with its quotes doubled, and keeps its line break inside the
/// quotes, in a UTF-8 file with a byte-order mark and CR LF after each row.
/// </summary>
public sealed class CsvDownloadTests(RegistryWebFactory factory) : IClassFixture<RegistryWebFactory>, IAsyncLifetime
{
    private const string Week = "2021-07-19";
    private const string Risky = "=HYPERLINK(\"http://evil.test\";\"Кафе\")\nвторая строка";

    public Task InitializeAsync() => factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListCsv_NameAndAddressLikeAFormulaWithQuotesAndALineBreak_AreDefusedAndQuoted()
    {
        var file = "БИН;Наименование;Вид деятельности;Район;Количество сканирований;Выявлено нарушителей;Статус;Причина;Адрес\r\n" +
            $"{ExportBuilder.BinFor(1)};{FileCell("=1+2 \"Ару\"")};Кафе;Алмалинский;100;0;лидер;;{FileCell("+7 ул. Абая; 1\nвход со двора")}\r\n";
        var outcome = await factory.ImportAsync(Encoding.UTF8.GetBytes(file), Week);
        Assert.Equal(ImportStates.Loaded, outcome.State);
        using var client = factory.CreateClient();

        var item = JsonDocument.Parse(await client.GetStringAsync($"/lists/leaders.json?week={Week}")).RootElement.GetProperty("items")[0];
        var bytes = await client.GetByteArrayAsync($"/lists/leaders.csv?week={Week}");

        var name = item.GetProperty("name").GetString()!;
        var address = item.GetProperty("address").GetString()!;
        Assert.Equal("=1+2 \"Ару\"", name);
        Assert.Equal("+7 ул. Абая; 1\nвход со двора", address);
        var csv = AssertUtf8WithBomAndCrLf(bytes, rows: 2);
        Assert.Contains(";\"'=1+2 \"\"Ару\"\"\";", csv, StringComparison.Ordinal);
        Assert.Contains(";\"'+7 ул. Абая; 1\nвход со двора\";", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCsv_DetailsLikeAFormulaWithQuotesAndALineBreak_AreDefusedAndQuoted()
    {
        await using (var connection = new NpgsqlConnection(factory.ConnectionString))
        {
            await connection.OpenAsync();
            await AuditLog.WriteAsync(connection, null, "cli:test", "week.withdraw", Week, Risky);
        }
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var bytes = await staff.Client.GetByteArrayAsync("/staff/audit.csv?action=week.withdraw");

        var csv = AssertUtf8WithBomAndCrLf(bytes, rows: 2);
        Assert.Contains(";cli:test;week.withdraw;2021-07-19;\"'=HYPERLINK(\"\"http://evil.test\"\";\"\"Кафе\"\")\nвторая строка\";", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesCsv_ValueLikeAFormulaWithQuotesAndALineBreak_IsDefusedAndQuoted()
    {
        var file = new ExportBuilder().Row(ExportBuilder.BinFor(1), "лидер").Row(ExportBuilder.BinFor(2), "лидер")
            .Line(FileCell(Risky) + ";Кафе;Кафе;Алмалинский;100;0;лидер;").ToBytes();
        var outcome = await factory.ImportAsync(file, Week, publish: false);
        using var staff = await StaffSession.SignedInAsync(factory, "staff@ashyq.local");

        var bytes = await staff.Client.GetByteArrayAsync($"/staff/imports/{outcome.ImportId}/messages.csv");

        var csv = AssertUtf8WithBomAndCrLf(bytes, rows: null);
        Assert.Contains(";\"'=HYPERLINK(\"\"http://evil.test\"\";\"\"Кафе\"\")\nвторая строка\";", csv, StringComparison.Ordinal);
    }

    /// <summary>A cell of the export file, quoted as a file from the ministry would quote it.</summary>
    private static string FileCell(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The text after the byte-order mark; every row ends with CR LF and no line break stands alone outside a cell.</summary>
    private static string AssertUtf8WithBomAndCrLf(byte[] bytes, int? rows)
    {
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        if (rows is { } count)
            Assert.Equal(count, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        return csv;
    }
}
