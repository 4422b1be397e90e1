namespace Ashyq.Registry.Core.Exports;

/// <summary>
/// Every code a data row's message can have, with the names of the values it carries. The site keeps a
/// text for each code in each of its languages with exactly these placeholders; a test holds both sides to it.
/// </summary>
public static class ExportMessageCodes
{
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
}
