using System.ComponentModel.DataAnnotations;

namespace Ashyq.Registry.Core.Jobs;

/// <summary>Settings of the background jobs, from the "Jobs" configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs one node runs at once. Imports of different weeks wait for one another anyway.</summary>
    [Range(1, 20)]
    public int Workers { get; set; } = 2;

    /// <summary>
    /// A job a node has taken is hidden from the others while that node keeps saying it is alive (every
    /// fifth of this time); this long after the node last said so, another node takes the job.
    /// </summary>
    [Range(5, 3600)]
    public int InvisibilitySeconds { get; set; } = 30;

    /// <summary>How often an idle node looks for jobs whose node went silent (new jobs wake it at once).</summary>
    [Range(1, 60)]
    public int QueuePollSeconds { get; set; } = 5;

    /// <summary>
    /// A queued import with no live job this long after it was stored or started is queued again by
    /// the sweep: the hand-over to the job store failed, or the process running it in-line died.
    /// </summary>
    [Range(1, 3600)]
    public int OrphanAfterSeconds { get; set; } = 30;

    /// <summary>How often the sweep looks for such imports.</summary>
    [Range(1, 59)]
    public int SweepMinutes { get; set; } = 1;
}
