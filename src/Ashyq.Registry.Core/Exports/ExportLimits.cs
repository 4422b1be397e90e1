namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// What reading one file may cost, whatever its bytes: how deep its XML may nest, how many cells a worksheet
/// may make the reader fill in, how much its shared strings and parts may take, and how long it may take.
/// Each bound is a setting (<see cref="RegistryOptions"/>); the defaults are the project's own.
/// </summary>
public sealed record ExportLimits
{
    /// <summary>
    /// Sixteen full columns of an Excel worksheet: a grid this small is never refused for its gaps (filling it in
    /// takes the workbook reader about a second), so a stray note a few columns out in a real export still loads.
    /// </summary>
    public const long GridAllowanceCells = 16 * 1_048_576;

    public static ExportLimits Default { get; } = From(new RegistryOptions());

    public TimeSpan ReadTimeout { get; init; }
    public int MaxXmlDepth { get; init; }
    public long MaxSheetCells { get; init; }
    public int MaxGridPerCell { get; init; }
    public long MaxSharedStringsBytes { get; init; }
    public long MaxPartBytes { get; init; }
    public long MaxCompressionRatio { get; init; }

    public static ExportLimits From(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExportLimits
        {
            ReadTimeout = TimeSpan.FromSeconds(options.ImportReadTimeoutSeconds),
            MaxXmlDepth = options.XlsxMaxXmlDepth,
            MaxSheetCells = options.XlsxMaxSheetCells,
            MaxGridPerCell = options.XlsxMaxGridPerCell,
            MaxSharedStringsBytes = options.XlsxMaxSharedStringsMegabytes * 1024L * 1024,
            MaxPartBytes = options.XlsxMaxPartMegabytes * 1024L * 1024,
            MaxCompressionRatio = options.XlsxMaxCompressionRatio,
        };
    }

    /// <summary>The most cells a worksheet holding <paramref name="cells"/> cells may spread over.</summary>
    public long AllowedGrid(long cells) => Math.Min(MaxSheetCells, Math.Max(GridAllowanceCells, cells * MaxGridPerCell));
}
