using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Web.Features.Staff.Weeks;

/// <summary>Settings of the review before publishing, from the "Publishing" configuration section.</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>
    /// A week whose participants, leaders, outsiders or excluded differ from the latest published week's
    /// by more than this share (in per cent) is published only once staff confirm the warning.
    /// </summary>
    [Range(1, 1000)]
    public double ChangeWarningPercent { get; set; } = 20;
}
