namespace Ashyq.Registry.Web.Features.Staff;

/// <summary>The page numbers of the staff lists, as typed into an address: any int is taken, none can overflow the offset.</summary>
public static class StaffPaging
{
    /// <summary>The page, at least 1 and at most the last one whose offset an int can hold (past the rows, it is simply empty).</summary>
    public static int Clamp(int page, int pageSize) => Math.Clamp(page, 1, int.MaxValue / pageSize);
}
