using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Core;

/// <summary>Settings of the registry itself, from the "Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    public const string Section = "Registry";

    /// <summary>
    /// The time zone every time on the site is shown in, staff pages and public pages alike, each with its
    /// offset from UTC beside it; an IANA name such as Asia/Almaty.
    /// </summary>
    [Required]
    [TimeZoneName]
    public string TimeZone { get; set; } = "Asia/Almaty";

    /// <summary>How many published weeks in a row as an outsider exclude a business (the contract's N).</summary>
    [Range(2, 52)]
    public int ExclusionWeeks { get; set; } = 2;

    /// <summary>
    /// How many weeks after the current one a week may start and still be loaded; a week further ahead
    /// is a typed-in mistake (a year of 9999) and is refused.
    /// </summary>
    [Range(0, 520)]
    public int MaxWeeksAhead { get; set; } = 2;

    /// <summary>A file with more than this share of data rows in error is refused whole.</summary>
    [Range(0, 100)]
    public double MaxRowErrorPercent { get; set; } = 5;

    /// <summary>The largest upload accepted, in bytes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// How many businesses each group of the weekly changes page shows before it is read page by page,
    /// so that the page's first view stays small however much changed.
    /// </summary>
    [Range(1, 200)]
    public int ChangesPreviewRows { get; set; } = 10;

    /// <summary>
    /// The chamber's address for questions about the published data, shown on the data dictionary (/data);
    /// empty, the page names the chamber without an address.
    /// </summary>
    [EmailAddress]
    public string? ContactEmail { get; set; }

    /// <summary>A folder scanned for dropped export files; empty turns the inbox off.</summary>
    public string? InboxPath { get; set; }

    [Range(1, 1440)]
    public int InboxScanMinutes { get; set; } = 5;

    /// <summary>Where an import keeps its working copy of the file while it reads it.</summary>
    public string? WorkPath { get; set; }

    /// <summary>
    /// <see cref="WorkPath"/>, created when missing. Unset, it is a folder of this account's own under the
    /// temporary folder: one shared by every account would belong to whoever made it first, and another
    /// account's site could then not write its uploads there.
    /// </summary>
    public string WorkDirectory()
    {
        var dir = WorkPath is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), $"ashyq-imports-{Environment.UserName}");
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(dir);
            else
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    /// <summary>How long reading one file may take, in seconds; past it the file is refused (the reader's time bound).</summary>
    [Range(1, 86_400)]
    public int ImportReadTimeoutSeconds { get; set; } = 600;

    /// <summary>How many uploads at once may have their file read inside the web request (the title line, when no week is given).</summary>
    [Range(1, 64)]
    public int InRequestReadConcurrency { get; set; } = 1;

    /// <summary>The deepest a workbook part's XML may nest; a real worksheet nests about seven deep.</summary>
    [Range(8, 10_000)]
    public int XlsxMaxXmlDepth { get; set; } = 64;

    /// <summary>The largest grid (last row × last column) of the first worksheet, which the workbook reader fills in cell by cell.</summary>
    [Range(16_777_216, long.MaxValue)]
    public long XlsxMaxSheetCells { get; set; } = 40_000_000;

    /// <summary>Past 16,777,216 cells, how many times more cells the grid may hold than the worksheet has (the rest are gaps filled in).</summary>
    [Range(1, 16_384)]
    public int XlsxMaxGridPerCell { get; set; } = 4;

    /// <summary>The memory the shared strings of a workbook may take once read, in MiB (two bytes a character and 40 a string).</summary>
    [Range(1, 65_536)]
    public int XlsxMaxSharedStringsMegabytes { get; set; } = 64;

    /// <summary>The largest part of a workbook once decompressed, in MiB.</summary>
    [Range(1, 4096)]
    public int XlsxMaxPartMegabytes { get; set; } = 2048;

    /// <summary>How many times its compressed size a large part (64 MiB or more) may expand to.</summary>
    [Range(2, 100_000)]
    public int XlsxMaxCompressionRatio { get; set; } = 200;
}
