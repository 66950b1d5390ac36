namespace GaussQuant.Evaluation;

/// <summary>
/// The running state of a <see cref="MetricAccumulator"/>: the finite values' count, mean and sum of squared
/// deviations from the mean (Welford's M2), and the count of +∞ values. Two of them, from disjoint sets of images,
/// merge exactly as one pass over both would have summed them, up to float64 rounding (Chan et al.).
/// </summary>
public sealed record MetricMoments(long Count, long InfiniteCount, double Mean, double SumOfSquaredDeviations)
{
    public static MetricMoments Empty { get; } = new(0, 0, 0, 0);

    /// <summary>The moments of this set followed by <paramref name="other"/>.</summary>
    public MetricMoments Merge(MetricMoments other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long count = Count + other.Count;
        if (count == 0)
            return this with { InfiniteCount = InfiniteCount + other.InfiniteCount };
        double shift = other.Mean - Mean;
        // Chan et al.: M2 = M2_a + M2_b + δ²·n_a·n_b / n, mean = mean_a + δ·n_b / n.
        return new MetricMoments(count, InfiniteCount + other.InfiniteCount, Mean + shift * other.Count / count,
            SumOfSquaredDeviations + other.SumOfSquaredDeviations + shift * shift * ((double)Count * other.Count / count));
    }
}
