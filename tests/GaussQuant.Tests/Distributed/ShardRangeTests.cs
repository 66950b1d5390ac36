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
