using System.Runtime;
using GaussQuant.Native;

namespace GaussQuant.Tests.Native;

// The garbage collector's mode is process-wide: no other test may start or end a pause meanwhile.
[Collection(ProcessWideStateCollection.Name)]
public class CollectionPauseTests
{
    [Fact]
    public void TheWorkRunsWithCollectionsHeldOffAndTheModeComesBack()
    {
        var before = GCSettings.LatencyMode;
        var seen = CollectionPause.Run(() =>
        {
            // Small allocations, as a training step makes, must not trigger a collection inside the pause (starting it
            // may collect once, before the work).
            int collections = GC.CollectionCount(0);
            var wrappers = Enumerable.Range(0, 10_000).Select(index => new object()).ToList();
            return (Mode: GCSettings.LatencyMode, Collections: GC.CollectionCount(0) - collections, wrappers.Count);
        });
        Assert.Equal(GCLatencyMode.NoGCRegion, seen.Mode);
        Assert.Equal(0, seen.Collections);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void NestedWorkAndWorkThatSpendsTheBudgetEndCleanly()
    {
        var before = GCSettings.LatencyMode;
        // 64 MiB exceeds the pause's budget: the runtime ends it early with a collection, and ending must not then fail.
        int total = CollectionPause.Run(() => CollectionPause.Run(() => Enumerable.Range(0, 64).Sum(_ => new byte[1 << 20].Length)));
        Assert.Equal(64 << 20, total);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void AnExceptionInTheWorkEndsThePause()
    {
        var before = GCSettings.LatencyMode;
        Assert.Throws<InvalidDataException>(() => CollectionPause.Run<int>(() => throw new InvalidDataException("bad batch")));
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
