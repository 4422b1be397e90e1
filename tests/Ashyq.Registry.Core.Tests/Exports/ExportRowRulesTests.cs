using System.Globalization;
using Ashyq.Registry.Core.Exports;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>Every rule of a data row, on CSV rows under the Russian header (line 1), so data starts on line 2.</summary>
public sealed class ExportRowRulesTests : IDisposable
{
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_ValidRow_IsLoadedWithoutMessages()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], reason: "")));

        Assert.Empty(result.Messages);
        Assert.Equal(new ExportRow(2, ValidBins[0], "ТОО Тест", "catering", "Кафе", "medeu", "ул. Абая, 1",
            new DateOnly(2021, 7, 15), 10, 0, BusinessStatus.Participant, null), result.Row);
    }

    [Theory]
    [InlineData("", "bin_missing")]
    [InlineData("   ", "bin_missing")]
    [InlineData("00495144657", "bin_length")]
    [InlineData("0049514465711", "bin_length")]
    [InlineData("00495144657x", "bin_length")]
    [InlineData("004951446572", "bin_check_digit")]
    public void Read_BadBin_IsARowError(string bin, string code)
    {
        var result = Assert.Single(_files.ReadRussian(Row(bin)));

        Assert.Null(result.Row);
        var error = Assert.Single(result.Messages);
        Assert.Equal((MessageSeverity.RowError, code, 2, "БИН", bin), (error.Severity, error.Code, error.LineNo!.Value, error.Column!, error.Value!));
    }

    [Fact]
    public void Read_BinWithSpacesInside_IsAccepted()
    {
        var result = Assert.Single(_files.ReadRussian(Row("0049 5144 6571")));

        Assert.Equal("004951446571", result.Row!.Bin);
    }

    [Fact]
    public void Read_NameMissingOrTooLong_IsARowError()
    {
        var rows = _files.ReadRussian(
            Row(ValidBins[0], name: "  "),
            Row(ValidBins[1], name: new string('Я', 301)),
            Row(ValidBins[2], name: "  " + new string('Я', 300) + "  "));

        Assert.Equal("name_missing", Assert.Single(rows[0].Messages).Code);
        Assert.Equal("name_too_long", Assert.Single(rows[1].Messages).Code);
        Assert.Equal(300, rows[2].Row!.Name.Length);
    }

    [Theory]
    [InlineData("", "status_missing")]
    [InlineData("активен", "status_unknown")]
    public void Read_BadStatus_IsARowError(string status, string code)
    {
        var error = Assert.Single(Assert.Single(_files.ReadRussian(Row(ValidBins[0], status: status))).Messages);

        Assert.Equal((code, "Статус", status), (error.Code, error.Column!, error.Value!));
    }

    [Theory]
    [InlineData("ЛИДЕР", BusinessStatus.Leader)]
    [InlineData("көшбасшы", BusinessStatus.Leader)]
    [InlineData("Leader", BusinessStatus.Leader)]
    [InlineData("аутсайдер", BusinessStatus.Outsider)]
    [InlineData("Недобросовестный", BusinessStatus.Outsider)]
    [InlineData("OUTSIDER", BusinessStatus.Outsider)]
    [InlineData("Участник", BusinessStatus.Participant)]
    [InlineData("Қатысушы", BusinessStatus.Participant)]
    [InlineData(" participant ", BusinessStatus.Participant)]
    [InlineData("исключен", BusinessStatus.Excluded)]
    [InlineData("Исключён", BusinessStatus.Excluded)]
    [InlineData("шығарылды", BusinessStatus.Excluded)]
    [InlineData("Excluded", BusinessStatus.Excluded)]
    public void Read_StatusSpelling_IsUnderstood(string spelling, BusinessStatus expected)
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], status: spelling, reason: "Причина")));

        Assert.Equal(expected, result.Row!.Status);
    }

    [Theory]
    [InlineData("", "scans_missing")]
    [InlineData("12.5", "scans_invalid")]
    [InlineData("12,5", "scans_invalid")]
    [InlineData("десять", "scans_invalid")]
    [InlineData("12 34", "scans_invalid")]
    [InlineData("99999999999", "scans_too_large")]
    [InlineData("١٢", "scans_invalid")] // digits of another script
    [InlineData("-3", "scans_negative")]
    public void Read_BadScans_IsARowError(string scans, string code)
    {
        var error = Assert.Single(Assert.Single(_files.ReadRussian(Row(ValidBins[0], scans: scans))).Messages);

        Assert.Equal((code, "Количество сканирований", scans), (error.Code, error.Column!, error.Value!));
    }

    [Theory]
    [InlineData("1 234", 1234)]
    [InlineData("1\u00A0234\u00A0567", 1234567)]
    [InlineData("0", 0)]
    [InlineData(" 42 ", 42)]
    public void Read_WholeNumberWithThousandsSpaces_IsAccepted(string scans, int expected)
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], scans: scans)));

        Assert.Equal(expected, result.Row!.Scans);
    }

    [Theory]
    [InlineData("1.5", "flagged_invalid")]
    [InlineData("-1", "flagged_negative")]
    public void Read_BadFlaggedVisitors_IsARowError(string flagged, string code)
    {
        var error = Assert.Single(Assert.Single(_files.ReadRussian(Row(ValidBins[0], flagged: flagged))).Messages);

        Assert.Equal((code, "Выявлено нарушителей"), (error.Code, error.Column!));
    }

    [Fact]
    public void Read_EmptyFlaggedVisitors_IsZero()
    {
        Assert.Equal(0, Assert.Single(_files.ReadRussian(Row(ValidBins[0], flagged: ""))).Row!.FlaggedVisitors);
    }

    [Theory]
    [InlineData("15.07.2021", "2021-07-15")]
    [InlineData("2021-07-15", "2021-07-15")]
    [InlineData("", null)]
    public void Read_JoinedOn_AcceptsBothFormats(string text, string? expected)
    {
        var row = Assert.Single(_files.ReadRussian(Row(ValidBins[0], joinedOn: text))).Row!;

        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, CultureInfo.InvariantCulture), row.JoinedOn);
    }

    [Theory]
    [InlineData("31.02.2021")]
    [InlineData("15/07/2021")]
    [InlineData("вчера")]
    public void Read_JoinedOnNotADate_IsARowError(string text)
    {
        var error = Assert.Single(Assert.Single(_files.ReadRussian(Row(ValidBins[0], joinedOn: text))).Messages);

        Assert.Equal(("joined_on_invalid", "Дата присоединения", text), (error.Code, error.Column!, error.Value!));
    }

    [Fact]
    public void Read_AddressAndReasonTooLong_AreRowErrors()
    {
        var rows = _files.ReadRussian(
            Row(ValidBins[0], address: new string('а', 501)),
            Row(ValidBins[1], reason: new string('п', 1001)),
            Row(ValidBins[2], address: new string('а', 500), reason: new string('п', 1000)));

        Assert.Equal("address_too_long", Assert.Single(rows[0].Messages).Code);
        Assert.Equal("reason_too_long", Assert.Single(rows[1].Messages).Code);
        Assert.NotNull(rows[2].Row);
    }

    [Fact]
    public void Read_RowWithSeveralProblems_ReportsThemAll()
    {
        var result = Assert.Single(_files.ReadRussian(Row(BadCheckDigitBin, name: "", scans: "x", flagged: "-2", status: "?", joinedOn: "1.1.21")));

        Assert.Null(result.Row);
        Assert.Equal(["bin_check_digit", "name_missing", "joined_on_invalid", "scans_invalid", "flagged_negative", "status_unknown"],
            result.Messages.Select(m => m.Code).ToArray());
        Assert.All(result.Messages, m => Assert.Equal((MessageSeverity.RowError, 2), (m.Severity, m.LineNo!.Value)));
    }

    [Fact]
    public void Read_UnknownCategory_IsOtherWithAWarning()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], category: "Ателье")));

        Assert.Equal(("other", "Ателье"), (result.Row!.CategoryCode, result.Row.CategoryRaw));
        var warning = Assert.Single(result.Messages);
        Assert.Equal((MessageSeverity.RowWarning, "category_unknown", "Вид деятельности", "Ателье"),
            (warning.Severity, warning.Code, warning.Column!, warning.Value!));
    }

    [Fact]
    public void Read_CategoryNamingAnAliasAsAWord_IsMapped()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], category: "\"Кафе \"\"Достар\"\"\"")));

        Assert.Equal(("catering", "Кафе \"Достар\""), (result.Row!.CategoryCode, result.Row.CategoryRaw));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void Read_UnknownDistrict_KeepsTheRowWithNoDistrictAndAWarning()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], district: "Ленинский")));

        Assert.Null(result.Row!.DistrictCode);
        Assert.Equal(("district_unknown", "Район", "Ленинский"), (Assert.Single(result.Messages).Code, result.Messages[0].Column!, result.Messages[0].Value!));
    }

    [Fact]
    public void Read_EmptyDistrict_IsNoDistrictWithoutAWarning()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], district: "")));

        Assert.Null(result.Row!.DistrictCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void Read_ExcludedWithoutReason_IsLoadedWithAWarning()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], status: "исключен", reason: " ")));

        Assert.Equal((BusinessStatus.Excluded, (string?)null), (result.Row!.Status, result.Row.Reason));
        Assert.Equal(("excluded_no_reason", MessageSeverity.RowWarning), (Assert.Single(result.Messages).Code, result.Messages[0].Severity));
    }

    [Fact]
    public void Read_WarningsOfOneRow_AreAllReported()
    {
        var result = Assert.Single(_files.ReadRussian(Row(ValidBins[0], category: "Ателье", district: "Ленинский", status: "excluded")));

        Assert.NotNull(result.Row);
        Assert.Equal(["category_unknown", "district_unknown", "excluded_no_reason"], result.Messages.Select(m => m.Code).Order().ToArray());
    }

    [Fact]
    public void Read_ShortRecord_ReadsMissingCellsAsEmpty()
    {
        var result = Assert.Single(_files.ReadRussian($"{ValidBins[0]};ТОО Тест;Кафе"));

        Assert.Equal(["scans_missing", "status_missing"], result.Messages.Select(m => m.Code).ToArray());
    }

    [Fact]
    public void Read_WhollyEmptyRows_AreSkippedAndNotCounted()
    {
        var path = _files.WriteCsv(RussianHeader, ";;;;;;;;;", Row(ValidBins[0]), "  ; ;", "", Row(ValidBins[1]));

        var (file, rows) = ExportTestFiles.Read(path);
        using var _ = file;

        Assert.Equal([3, 6], rows.Select(r => r.LineNo).ToArray());
        Assert.Equal(2, file.DataRows);
    }

    [Fact]
    public void Read_HugeValueInANumberColumn_IsQuotedShortInTheMessage()
    {
        var rows = _files.ReadRussian(Row(ValidBins[0], scans: "1" + new string('x', 200_000)));

        var message = Assert.Single(rows.Single().Messages);
        Assert.Equal("scans_invalid", message.Code);
        Assert.True(message.Message.Length < 300, $"The message is {message.Message.Length:N0} characters long.");
        Assert.Contains("(200,001 characters)", message.Message, StringComparison.Ordinal);
        Assert.Equal(200_001, message.Value!.Length);
    }
}
