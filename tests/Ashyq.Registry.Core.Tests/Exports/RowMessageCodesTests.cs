using Ashyq.Registry.Core.Exports;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>
/// The row messages the validator writes keep to the list of codes the site has texts for: every code it emits is
/// listed, with exactly the values its texts put in, and every listed code can be met in a file.
/// </summary>
public sealed class RowMessageCodesTests : IDisposable
{
    // Found by the load after the rows are read (a BIN on two lines), not by the row validator.
    private static readonly string[] CodesOfTheLoad = ["duplicate_bin", "duplicate_bin_identical"];

    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Validator_EveryCodeItEmits_IsListedWithTheValuesItsTextsNeed()
    {
        var rows = _files.ReadRussian(
            Row(ValidBins[0], name: "ТОО\u0007 Тест"),
            Row(""),
            Row(ValidBins[0].TrimStart('0')),
            Row("0049514465711"),
            Row(BadCheckDigitBin),
            Row(ValidBins[0], name: " "),
            Row(ValidBins[0], name: new string('Я', 301)),
            Row(ValidBins[0], address: new string('а', 501)),
            Row(ValidBins[0], reason: new string('п', 1001)),
            Row(ValidBins[0], category: "Ателье"),
            Row(ValidBins[0], category: ""),
            Row(ValidBins[0], district: "Ленинский"),
            Row(ValidBins[0], joinedOn: "1.1.21"),
            Row(ValidBins[0], scans: ""),
            Row(ValidBins[0], scans: "x"),
            Row(ValidBins[0], scans: "99999999999"),
            Row(ValidBins[0], scans: "-3"),
            Row(ValidBins[0], flagged: "1.5"),
            Row(ValidBins[0], flagged: "99999999999"),
            Row(ValidBins[0], flagged: "-2"),
            Row(ValidBins[0], status: ""),
            Row(ValidBins[0], status: "?"),
            Row(ValidBins[0], status: "исключен", reason: ""));

        var messages = rows.SelectMany(r => r.Messages).ToList();

        Assert.All(messages, m =>
        {
            Assert.True(ExportMessageCodes.Row.TryGetValue(m.Code, out var names), $"'{m.Code}' is not listed in ExportMessageCodes.Row.");
            Assert.Equal(names.Order(StringComparer.Ordinal), (m.Args?.Keys ?? []).Order(StringComparer.Ordinal));
        });
        Assert.Equal(ExportMessageCodes.Row.Keys.Except(CodesOfTheLoad).Order(StringComparer.Ordinal),
            messages.Select(m => m.Code).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validator_Values_AreTheDetailsOfTheMessageInNoLanguage()
    {
        var rows = _files.ReadRussian(
            Row(ValidBins[0].TrimStart('0')),
            Row(ValidBins[0], name: new string('Я', 301)),
            Row(ValidBins[0], category: new string('К', 200)),
            Row(ValidBins[0], name: "А\u0001Б\u0002"));

        Assert.Equal(new Dictionary<string, string> { ["digits"] = ValidBins[0].TrimStart('0'), ["count"] = "10", ["padded"] = ValidBins[0] },
            Assert.Single(rows[0].Messages).Args);
        Assert.Equal(new Dictionary<string, string> { ["length"] = "301", ["max"] = "300" }, Assert.Single(rows[1].Messages).Args);
        // A long text is cut with an ellipsis and no words of any language.
        Assert.Equal(new string('К', MessageText.MaxQuoted) + "…", Assert.Single(rows[2].Messages).Args!["category"]);
        Assert.Equal("2", Assert.Single(rows[3].Messages).Args!["count"]);
    }
}
