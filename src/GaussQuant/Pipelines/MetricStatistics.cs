using GaussQuant.Evaluation;

namespace GaussQuant.Pipelines;

/// <summary>
/// Mean and sample standard deviation (N − 1) of a per-image metric over the evaluated images, as a report states it.
/// <see cref="Infinite"/> counts images left out of both because their value is +∞ (PSNR of an exact reconstruction);
/// it is null when there are none. Std is null for a single image.
/// </summary>
public sealed record MetricStatistics(double? Mean, double? Std, long Count, long? Infinite)
{
    public static MetricStatistics From(MetricSummary summary) =>
        new(summary.Mean, summary.StandardDeviation, summary.Count, summary.InfiniteCount > 0 ? summary.InfiniteCount : null);
}
