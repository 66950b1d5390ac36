namespace GaussQuant.Evaluation;

/// <summary>
/// Aggregate of one per-image metric over a data set. <see cref="Mean"/> and <see cref="StandardDeviation"/>
/// (sample, N − 1, as torch.std) cover the <see cref="Count"/> finite values; images whose value is +∞ (PSNR of
/// an exact reconstruction) are counted in <see cref="InfiniteCount"/> instead, so a report never holds ∞ or NaN.
/// Mean is null when there are no finite values; the standard deviation when there are fewer than two.
/// </summary>
public sealed record MetricSummary(long Count, double? Mean, double? StandardDeviation, long InfiniteCount);
