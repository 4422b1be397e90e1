namespace Ashyq.Registry.Core.Weeks;

/// <summary>
/// The words a week's status is stored as (<c>weeks.status</c>): loaded and not yet public, public,
/// taken back. SQL is written with these rather than with the words themselves.
/// </summary>
public static class WeekStatuses
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlyList<string> All = [Draft, Published, Withdrawn];
}
