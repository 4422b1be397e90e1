namespace Ashyq.Registry.Core.Tests.Exports;

/// <summary>
/// What a piece of work allocated on this thread: a bound on the work a hostile file can cause that holds on
/// any machine, however busy, where a bound on the time taken would fail on a loaded one and pass a slow reader
/// on a fast one.
/// </summary>
public readonly struct AllocationMeter
{
    private readonly long _start;

    private AllocationMeter(long start) => _start = start;

    public static AllocationMeter Start() => new(GC.GetAllocatedBytesForCurrentThread());

    public long Allocated => GC.GetAllocatedBytesForCurrentThread() - _start;

    public void AssertBelow(long bytes)
    {
        var allocated = Allocated;
        Assert.True(allocated < bytes, $"Allocated {allocated:N0} bytes; the bound is {bytes:N0}.");
    }
}
