namespace GaussQuant.Distributed;

/// <summary>
/// What a shard's output records about its place in the job (<c>--shard i/N</c>): shard <see cref="Index"/> of
/// <see cref="Count"/>, covering inputs [<see cref="Start"/>, <see cref="End"/>) of the <see cref="Total"/> the job's
/// input list expands to. <see cref="ShardOrder"/> checks that a set of them is one whole job.
/// </summary>
public sealed record ShardExtent(int Index, int Count, int Start, int End, int Total)
{
    public static ShardExtent Of(Shard shard, ShardRange range, int total)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return new ShardExtent(shard.Index, shard.Count, range.Start, range.End, total);
    }
}
