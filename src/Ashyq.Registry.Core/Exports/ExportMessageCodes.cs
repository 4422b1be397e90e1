using System.Globalization;

namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// Every code a message can have, with the names of the values it carries. The site keeps a text for each
/// in each of its languages with exactly these placeholders; a test holds both sides to it.
/// </summary>
public static class ExportMessageCodes
{
    /// <summary>
    /// The value that tells apart the texts of one file code raised for different reasons (corrupt_file for an
    /// unclosed quote or a damaged workbook): its text is CODE.KIND. It is not a placeholder of the text.
    /// </summary>
    public const string KindName = "kind";

    public static readonly IReadOnlyDictionary<string, string[]> Row = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["control_characters"] = ["count"],
        ["bin_missing"] = [],
        ["bin_leading_zeros"] = ["digits", "count", "padded"],
        ["bin_length"] = ["bin"],
        ["bin_check_digit"] = ["bin"],
        ["name_missing"] = [],
        ["name_too_long"] = ["length", "max"],
        ["address_too_long"] = ["length", "max"],
        ["reason_too_long"] = ["length", "max"],
        ["category_unknown"] = ["category"],
        ["category_empty"] = [],
        ["district_unknown"] = ["district"],
        ["joined_on_invalid"] = ["text"],
        ["scans_missing"] = [],
        ["scans_invalid"] = ["text"],
        ["scans_too_large"] = ["text"],
        ["scans_negative"] = ["value"],
        ["flagged_invalid"] = ["text"],
        ["flagged_too_large"] = ["text"],
        ["flagged_negative"] = ["value"],
        ["status_missing"] = [],
        ["status_unknown"] = ["text"],
        ["excluded_no_reason"] = [],
        ["duplicate_bin"] = ["others", "lines"],
        ["duplicate_bin_identical"] = ["line"],
    };

    /// <summary>
    /// The messages about the file as a whole (file errors and file warnings), by text name: the code, or
    /// CODE.KIND when the values carry a <see cref="KindName"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> File = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["empty_file"] = [],
        ["file_missing"] = [],
        ["no_data_rows"] = [],
        ["encrypted_file"] = [],
        ["unsupported_format.utf16"] = [],
        ["unsupported_format.ods"] = [],
        ["unsupported_format.xlsb"] = [],
        ["unsupported_format.zip"] = [],
        ["unsupported_format.legacy"] = [],
        ["unsupported_format.binary"] = [],
        ["corrupt_file.csv"] = ["line"],
        ["corrupt_file.quote"] = ["line"],
        ["corrupt_file.workbook"] = [],
        ["corrupt_file.ratio"] = ["part", "packed", "size"],
        ["corrupt_file.dtd"] = ["part"],
        ["too_large.declared"] = ["part", "size"],
        ["too_large.inflated"] = ["part", "max"],
        ["too_large.columns"] = ["columns"],
        ["too_large.rows"] = ["max"],
        ["line_too_long.line"] = ["line", "mib"],
        ["line_too_long.cell"] = ["line", "mib"],
        ["line_too_long.part"] = ["part", "mib"],
        ["xml_too_deep"] = ["part", "max"],
        ["sheet_too_sparse"] = ["cells", "rows", "columns", "cell", "grid", "max"],
        ["shared_strings_too_large"] = ["mib"],
        ["read_timeout"] = ["seconds"],
        ["mixed_encoding"] = ["utfcount", "utflines", "othercount", "otherlines"],
        ["encoding_lost_letters"] = ["titles"],
        ["no_header"] = ["rows"],
        ["duplicate_column"] = ["line", "column", "first", "second"],
        ["missing_columns"] = ["line", "columns", "found"],
        ["too_many_errors"] = ["rejected", "rows", "share", "max"],
        ["unknown_column"] = ["column"],
        ["unknown_columns"] = ["count", "titles"],
        ["district_column_missing"] = ["column"],
        ["flagged_column_missing"] = ["column"],
        ["title_week_mismatch"] = ["title", "week"],
        ["messages_truncated"] = ["count", "shown"],
        ["load_failed"] = ["detail"],
    };

    /// <summary>The name of a file message's text: its code, or CODE.KIND.</summary>
    public static string FileTextName(string code, IReadOnlyDictionary<string, string>? args) =>
        args is not null && args.TryGetValue(KindName, out var kind) ? code + "." + kind : code;

    /// <summary>A file message's values by name, numbers written with no grouping, and its kind when it has one.</summary>
    public static Dictionary<string, string> Values(string? kind, params (string Name, object Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var args = values.ToDictionary(v => v.Name, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        if (kind is not null)
            args[KindName] = kind;
        return args;
    }
}
