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

    /// <summary>
    /// Whether the person who publishes a week must be another than the one who uploaded its file. An
    /// Admin may publish their own upload by saying so on the form, and the audit log records it. On in
    /// Production (appsettings.Production.json), off elsewhere and in ./run.sh's demo.
    /// </summary>
    public bool RequireSecondPerson { get; set; }
}
