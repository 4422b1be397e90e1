using Ashyq.Registry.Core;
using Ashyq.Registry.Web.Features.Staff.Imports;
using Microsoft.Extensions.Options;

namespace Ashyq.Registry.Web.Tests.Features.Staff;

/// <summary>Reading files inside web requests, a few at a time however many uploads arrive together.</summary>
public sealed class InRequestFileReadsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_ManyAtOnce_NeverMoreThanTheSettingRunTogether(int concurrency)
    {
        using var reads = new InRequestFileReads(Options.Create(new RegistryOptions { InRequestReadConcurrency = concurrency }));
        var running = 0;
        var most = 0;
        using var start = new ManualResetEventSlim();

        var all = Enumerable.Range(0, 6).Select(i => Task.Run(() => reads.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            start.Wait(TimeSpan.FromSeconds(10));
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return i;
        }, CancellationToken.None))).ToList();
        // Once the allowed reads are in, give any others time to (wrongly) join them before letting all finish.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref running) == concurrency, TimeSpan.FromSeconds(10)));
        await Task.Delay(300);
        start.Set();
        var results = await Task.WhenAll(all);

        Assert.Equal(concurrency, most);
        Assert.Equal(Enumerable.Range(0, 6), results.Order());
    }

    [Fact]
    public async Task RunAsync_WhileWaitingForATurn_GivesUpWhenTheRequestIsAborted()
    {
        using var reads = new InRequestFileReads(Options.Create(new RegistryOptions { InRequestReadConcurrency = 1 }));
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() => reads.RunAsync(() => release.Wait(TimeSpan.FromSeconds(10)), CancellationToken.None));
        await Task.Delay(100);
        using var aborted = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reads.RunAsync(() => true, aborted.Token));

        release.Set();
        Assert.True(await holder);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
