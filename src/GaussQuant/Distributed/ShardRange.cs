namespace GaussQuant.Distributed;

/// <summary>
/// The contiguous block of an ordered list of <c>Count</c> items that shard <c>Index</c> of <c>Shards</c> takes:
/// the first <c>Count mod Shards</c> shards take one item more, so blocks differ by at most one and, read in shard
/// order, give back the list in its own order.
/// </summary>
/// <param name="Start">The first item's position in the whole list.</param>
/// <param name="Length">How many items the shard takes (0 when there are fewer items than shards).</param>
public readonly record struct ShardRange(int Start, int Length)
{
    public int End => Start + Length;

    public static ShardRange Of(int index, int shards, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)shards, nameof(index));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int baseLength = count / shards, extra = count % shards;
        return new ShardRange(index * baseLength + Math.Min(index, extra), baseLength + (index < extra ? 1 : 0));
    }
}
