namespace GaussQuant.Evaluation;

/// <summary>
/// Streams per-image metric values into a <see cref="MetricSummary"/> (Welford's update, so long runs keep
/// full precision). +∞ is counted apart (see <see cref="MetricSummary"/>); NaN and −∞ are rejected.
/// </summary>
public sealed class MetricAccumulator
{
    private long count;
    private long infiniteCount;
    private double mean;
    private double sumOfSquaredDeviations;

    public void Add(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            infiniteCount++;
            return;
        }
        if (!double.IsFinite(value))
            throw new ArgumentException($"a metric value of {value} cannot be aggregated", nameof(value));
        count++;
        double deviation = value - mean;
        mean += deviation / count;
        sumOfSquaredDeviations += deviation * (value - mean);
    }

    public void AddRange(IEnumerable<double> values)
    {
        foreach (double value in values)
            Add(value);
    }

    /// <summary>The running state, for merging with other accumulators' (e.g. other ranks' or shards').</summary>
    public MetricMoments Moments => new(count, infiniteCount, mean, sumOfSquaredDeviations);

    /// <summary>An accumulator holding <paramref name="moments"/>, as if their values had been added to it.</summary>
    public static MetricAccumulator From(MetricMoments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        return new MetricAccumulator
        {
            count = moments.Count,
            infiniteCount = moments.InfiniteCount,
            mean = moments.Mean,
            sumOfSquaredDeviations = moments.SumOfSquaredDeviations,
        };
    }

    public MetricSummary Summary => new(
        count,
        count > 0 ? mean : null,
        count > 1 ? Math.Sqrt(sumOfSquaredDeviations / (count - 1)) : null,
        infiniteCount);
}
