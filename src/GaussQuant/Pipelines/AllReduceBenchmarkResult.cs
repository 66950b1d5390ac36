namespace GaussQuant.Pipelines;

/// <summary>What <see cref="AllReduceBenchmark"/> measured on this rank.</summary>
/// <param name="Ranks">The job's size N.</param>
/// <param name="Bytes">The buffer's size.</param>
public sealed record AllReduceBenchmarkResult(int Ranks, long Bytes, double MinSeconds, double MedianSeconds, double MaxSeconds)
{
    /// <summary>
    /// Bytes each rank sends per second at the median time in a ring all-reduce, 2(N − 1)/N of the buffer: the
    /// figure to compare with a network's bandwidth (0 for one rank, which sends nothing).
    /// </summary>
    public double BusBytesPerSecond => Ranks > 1 ? 2.0 * (Ranks - 1) / Ranks * Bytes / MedianSeconds : 0;
}
