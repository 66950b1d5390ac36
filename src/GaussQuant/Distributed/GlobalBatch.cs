using static TorchSharp.torch;

namespace GaussQuant.Distributed;

/// <summary>
/// One rank's part of a batch that the ranks of a data-parallel job train on together: rows
/// [<see cref="Rows"/>.Start, <see cref="Rows"/>.End) of the global batch's <see cref="Size"/> rows, in rank order, and
/// the reductions that give every rank the statistics of the whole batch, so that a term computed over the batch
/// (a mean, a KL band, a code histogram) equals what one process with the whole batch computes.
/// </summary>
public sealed class GlobalBatch
{
    public GlobalBatch(ICommunicator communicator, int size, ShardRange rows)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (rows.Start < 0 || rows.End > size)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"the rows must lie within the batch's {size}");
        Communicator = communicator;
        Size = size;
        Rows = rows;
    }

    /// <summary>A batch that one process holds whole: every reduction is the identity.</summary>
    public static GlobalBatch Whole(long size) => new(SingleProcess.Instance, checked((int)size), new ShardRange(0, checked((int)size)));

    public ICommunicator Communicator { get; }

    /// <summary>The global batch's rows (over every rank).</summary>
    public int Size { get; }

    /// <summary>This rank's rows.</summary>
    public ShardRange Rows { get; }

    /// <summary>Whether other ranks hold part of the batch (else every reduction is the identity).</summary>
    public bool IsSplit => Communicator.Size > 1;

    /// <summary>
    /// This rank's share of the rows. A mean over this rank's rows times it is this rank's part of the global mean, so
    /// gradients of objectives scaled by it add up over the ranks to the gradient of the global batch's objective.
    /// </summary>
    public double Fraction => (double)Rows.Length / Size;

    /// <summary>This rank's rows of a tensor that every rank computed alike for the whole batch (e.g. noise from a shared generator).</summary>
    public Tensor OwnRows(Tensor whole)
    {
        if (whole.shape[0] != Size)
            throw new ArgumentException($"expected a tensor of the whole batch's {Size} rows, got {whole.shape[0]}", nameof(whole));
        return IsSplit ? whole.narrow(0, Rows.Start, Rows.Length) : whole;
    }

    /// <summary>The shape of the whole batch's tensor whose rows this rank holds in <paramref name="local"/>.</summary>
    public long[] WholeShape(Tensor local) => [Size, .. local.shape[1..]];

    /// <summary>Replaces the values by their sums over the ranks (in place).</summary>
    public void Sum(Span<double> values)
    {
        if (IsSplit) Communicator.AllReduceSum(values);
    }

    /// <summary>The element-wise sum over the ranks of <paramref name="values"/> (any float tensor; summed in float64), detached.</summary>
    public Tensor Sum(Tensor values)
    {
        if (!IsSplit) return values.detach();
        using var flat = values.detach().to(ScalarType.Float64).contiguous().flatten();
        var buffer = flat.data<double>().ToArray();
        Communicator.AllReduceSum(buffer);
        return tensor(buffer, values.shape, ScalarType.Float64, values.device).to(values.dtype);
    }

    /// <summary>The smallest and largest value over the ranks (a rank without rows passes +∞ and −∞).</summary>
    public (double Min, double Max) MinMax(double min, double max)
    {
        if (!IsSplit) return (min, max);
        // Every rank fills its own two slots of a zeroed vector, so one sum gathers every rank's pair everywhere.
        int ranks = Communicator.Size, rank = Communicator.Rank;
        var slots = new double[2 * ranks];
        (slots[2 * rank], slots[2 * rank + 1]) = (min, max);
        Communicator.AllReduceSum(slots);
        double smallest = double.PositiveInfinity, largest = double.NegativeInfinity;
        for (int r = 0; r < ranks; r++)
        {
            smallest = Math.Min(smallest, slots[2 * r]);
            largest = Math.Max(largest, slots[2 * r + 1]);
        }
        return (smallest, largest);
    }
}
