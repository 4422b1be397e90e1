using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Core;

/// <summary>Settings of the registry itself, from the "Registry" configuration section.</summary>
public sealed class RegistryOptions
{
    public const string Section = "Registry";

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

    /// <summary>A folder scanned for dropped export files; empty turns the inbox off.</summary>
    public string? InboxPath { get; set; }

    [Range(1, 1440)]
    public int InboxScanMinutes { get; set; } = 5;

    /// <summary>Where an import keeps its working copy of the file while it reads it.</summary>
    public string? WorkPath { get; set; }
}
