using System.IO.Compression;
using System.Text;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Fuzz;
using static Ashyq.Registry.Core.Tests.Exports.ExportTestFiles;

namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>
/// A refused file carries its message's values by name, exactly those its code lists in
/// <see cref="ExportMessageCodes.File"/>, so that the site can say it in the staff member's language.
/// </summary>
public sealed class FileMessageCodesTests : IDisposable
{
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string> HostileFilesThatAreSmall() =>
    [
        "xlsx-zip-bomb-declared", "xlsx-zip-bomb-lying", "xlsx-absurd-declared-size", "xlsx-nested-sheet",
        "xlsx-billion-laughs-sheet", "xlsx-row-number-2e9", "xlsx-column-beyond-xfd", "xlsx-sheet-not-xml",
        "xlsx-nested-8m-sheet", "xlsx-far-cell-and-row", "xlsx-shared-strings-count-2e9", "csv-mixed-encodings",
        "ole-encrypted", "ole-legacy-xls",
    ];

    [Theory]
    [MemberData(nameof(HostileFilesThatAreSmall))]
    public void HostileFile_IsRefusedWithTheValuesItsCodeLists(string name)
    {
        var hostile = HostileExportFiles.All.Single(file => file.Name == name);
        var path = _files.WriteBytes(name + Path.GetExtension(hostile.FileName), []);
        hostile.Write(path);

        AssertListed(OpenFails(path));
    }

    [Fact]
    public void HandMadeFiles_AreRefusedWithTheValuesTheirCodesList()
    {
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(RussianHeader)).ToArray();
        var failures = new[]
        {
            OpenFails(_files.WriteBytes("empty.csv", [])),
            OpenFails(_files.WriteText("blank.csv", "  \r\n \r\n")),
            OpenFails(_files.WriteBytes("utf16.csv", utf16)),
            OpenFails(_files.WriteBytes("binary.csv", [.. Enumerable.Repeat((byte)1, 4096)])),
            OpenFails(_files.WriteBytes("archive.xlsx", ZipWith("readme.txt"))),
            OpenFails(_files.WriteBytes("broken.xlsx", [.. "PK\u0003\u0004"u8, .. Enumerable.Repeat((byte)7, 200)])),
            OpenFails(_files.WriteText("quote.csv", RussianHeader + "\r\n" + Row(ValidBins[0], name: "\"ТОО Тест") + "\r\n")),
            OpenFails(_files.WriteText("nohead.csv", "a;b;c\r\n1;2;3\r\n")),
            OpenFails(_files.WriteText("twice.csv", "БИН;Наименование;Наименование\r\n" + ValidBins[0] + ";А;Б\r\n")),
            OpenFails(_files.WriteText("missing.csv", "БИН;Наименование\r\n" + ValidBins[0] + ";ТОО Тест\r\n")),
        };

        Assert.All(failures, AssertListed);
        Assert.Equal(
            ["corrupt_file.quote", "corrupt_file.workbook", "duplicate_column", "empty_file", "missing_columns", "no_header",
                "unsupported_format.binary", "unsupported_format.utf16", "unsupported_format.zip"],
            failures.Select(e => ExportMessageCodes.FileTextName(e.Code, e.Args)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingColumns_KeepsTheLineTheColumnsAndWhatWasFound_InNoLanguage()
    {
        var error = OpenFails(_files.WriteText("missing.csv", "Отчёт\r\nБИН;Наименование\r\n" + ValidBins[0] + ";ТОО Тест\r\n"));

        Assert.Equal("missing_columns", error.Code);
        Assert.Equal("2", error.Args["line"]);
        Assert.Contains("БИН", error.Args["found"], StringComparison.Ordinal);
        Assert.DoesNotContain("line", error.Args["columns"], StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertListed(ExportFileException error)
    {
        var name = ExportMessageCodes.FileTextName(error.Code, error.Args);
        Assert.True(ExportMessageCodes.File.TryGetValue(name, out var names), $"'{name}' is not listed in ExportMessageCodes.File.");
        Assert.Equal(names.Order(StringComparer.Ordinal),
            error.Args.Keys.Where(k => k != ExportMessageCodes.KindName).Order(StringComparer.Ordinal));
    }

    private static byte[] ZipWith(string entryName)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
            writer.Write("not a workbook");
        }
        return buffer.ToArray();
    }
}
