using System.Globalization;

namespace GaussQuant.Distributed;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (the CLI's <c>--shard i/N</c>, 0 ≤ i &lt; N): the part of a job that
/// one process of an array job does on its own, without MPI. Its items are <see cref="ShardRange.Of"/> of the list.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The shard of a rank: rank r of a job of N ranks does shard r/N.</summary>
    public static Shard Of(ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return new Shard(communicator.Rank, communicator.Size);
    }

    /// <summary>Reads <c>i/N</c>.</summary>
    /// <exception cref="ArgumentException">the text is not two numbers with 0 ≤ i &lt; N.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                              || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ArgumentException($"--shard '{text}' is not i/N (e.g. 0/4 for the first of four shards)");
        if (count < 1 || index >= count)
            throw new ArgumentException($"--shard {text}: the index must lie in 0..N-1 and N must be at least 1");
        return new Shard(index, count);
    }

    /// <summary>
    /// This shard's block of <paramref name="count"/> items, cut at multiples of <paramref name="unit"/> (the batch
    /// size) so that every batch holds the same images as in one process, which keeps the outputs bit for bit equal.
    /// </summary>
    public ShardRange RangeOf(int count, int unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unit, 1);
        var units = ShardRange.Of(Index, Count, (count + unit - 1) / unit);
        int start = (int)Math.Min((long)units.Start * unit, count), end = (int)Math.Min((long)units.End * unit, count);
        return new ShardRange(start, end - start);
    }

    public override string ToString() => $"{Index}/{Count}";
}
