using GaussQuant.Distributed;

namespace GaussQuant.Tests.Distributed;

public class ShardRangeTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(2, 5)]
    [InlineData(0, 2)]
    [InlineData(7, 1)]
    public void ShardsInOrderCoverTheListOnceInItsOrder(int count, int shards)
    {
        var ranges = Enumerable.Range(0, shards).Select(index => ShardRange.Of(index, shards, count)).ToList();
        Assert.Equal(0, ranges[0].Start);
        for (int index = 1; index < shards; index++)
            Assert.Equal(ranges[index - 1].End, ranges[index].Start);
        Assert.Equal(count, ranges[^1].End);
        Assert.True(ranges.Max(range => range.Length) - ranges.Min(range => range.Length) <= 1);
    }

    [Fact]
    public void TheFirstShardsTakeTheRemainder() =>
        Assert.Equal([new ShardRange(0, 4), new ShardRange(4, 3), new ShardRange(7, 3)],
            Enumerable.Range(0, 3).Select(index => ShardRange.Of(index, 3, 10)));
}

public class ShardTests
{
    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    public void ReadsIndexOverCount(string text, int index, int count) => Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1")]
    [InlineData("-1/2")]
    [InlineData("0/0")]
    public void RefusesWhatIsNoShard(string text) => Assert.Throws<ArgumentException>(() => Shard.Parse(text));

    [Fact]
    public void BlocksStartAtWholeBatches()
    {
        // 11 images in batches of 4 are 3 batches: shard 0 of 2 takes two of them, shard 1 the last, shorter one.
        Assert.Equal(new ShardRange(0, 8), new Shard(0, 2).RangeOf(11, 4));
        Assert.Equal(new ShardRange(8, 3), new Shard(1, 2).RangeOf(11, 4));
        Assert.Equal(new ShardRange(11, 0), new Shard(3, 4).RangeOf(11, 4));
    }
}

public class ShardOrderTests
{
    private static IReadOnlyList<(string Name, ShardExtent Output)> Check(params ShardExtent[] extents) =>
        ShardOrder.Check(extents.Select((extent, index) => ($"shard-file-{index}", extent)).ToList(), extent => extent, (_, _) => null);

    [Fact]
    public void PutsTheShardsInOrder() =>
        Assert.Equal([0, 1], Check(new ShardExtent(1, 2, 5, 10, 10), new ShardExtent(0, 2, 0, 5, 10)).Select(shard => shard.Output.Index));

    [Fact]
    public void RefusesOverlapsGapsAndOtherJobs()
    {
        Assert.Contains("overlap or leave a gap",
            Assert.Throws<InvalidDataException>(() => Check(new ShardExtent(0, 2, 0, 6, 10), new ShardExtent(1, 2, 5, 10, 10))).Message);
        Assert.Contains("cover inputs 0..9 of 10",
            Assert.Throws<InvalidDataException>(() => Check(new ShardExtent(0, 2, 0, 5, 10), new ShardExtent(1, 2, 5, 9, 10))).Message);
        Assert.Contains("different jobs",
            Assert.Throws<InvalidDataException>(() => Check(new ShardExtent(0, 2, 0, 5, 10), new ShardExtent(1, 3, 5, 10, 10))).Message);
    }
}
