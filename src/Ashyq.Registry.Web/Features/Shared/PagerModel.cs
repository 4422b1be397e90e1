namespace Ashyq.Registry.Web.Features.Shared;

/// <summary>
/// A paged page's pager: first, previous, the numbers around the current page (the first and last
/// always among them), next and last; Link gives a page's address.
/// </summary>
public sealed record PagerModel(int Page, int PageCount, Func<int, string> Link)
{
    public const int Around = 2;

    /// <summary>The page numbers to offer, with 0 where a run of pages is left out.</summary>
    public IReadOnlyList<int> Numbers()
    {
        var numbers = new List<int>();
        for (var n = 1; n <= PageCount; n++)
        {
            if (n == 1 || n == PageCount || Math.Abs(n - Page) <= Around)
                numbers.Add(n);
            else if (numbers.Count > 0 && numbers[^1] != 0)
                numbers.Add(0);
        }
        return numbers;
    }
}
