using GaussQuant.Evaluation;

namespace GaussQuant.Pipelines;

/// <summary>
/// Everything one reconstruction mode's report is computed from, with nothing kept per image: the per-image metrics'
/// moments (null for a metric the evaluation does not compute), the reconstructions' Inception feature moments (with
/// rFID) and the token histograms (vq mode). Shards and ranks exchange these and <see cref="Merge"/> them, so a
/// sharded evaluation's report comes from the same sums as one process's, merged in float64.
/// </summary>
public sealed record ModeStatistics(MetricMoments Psnr, MetricMoments? Ssim, MetricMoments? MsSsim, MetricMoments? Lpips, FeatureMoments? Features,
    CodebookCounts? Codebook)
{
    /// <summary>The statistics of this set of images followed by <paramref name="other"/>'s.</summary>
    /// <exception cref="InvalidDataException">the two measured different metrics (their evaluations were not alike).</exception>
    public ModeStatistics Merge(ModeStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ModeStatistics(Psnr.Merge(other.Psnr), MergeMetric(Ssim, other.Ssim, "ssim"), MergeMetric(MsSsim, other.MsSsim, "ms_ssim"),
            MergeMetric(Lpips, other.Lpips, "lpips"), MergeFeatures(Features, other.Features), MergeCounts(Codebook, other.Codebook));
    }

    /// <param name="originals">The originals' feature moments, when rFID is computed.</param>
    /// <param name="fid">Times the Fréchet distance.</param>
    internal EvaluationModeReport Report(FeatureMoments? originals, System.Diagnostics.Stopwatch fid)
    {
        var usage = Codebook is null ? null : Usage(Codebook).Summarize();
        return new EvaluationModeReport
        {
            Psnr = Statistics(Psnr)!,
            Ssim = Statistics(Ssim),
            MsSsim = Statistics(MsSsim),
            Lpips = Statistics(Lpips),
            Rfid = Features is { Count: >= 2 } && originals is not null
                ? EvaluationStopwatches.Time(fid, () => FrechetDistanceOf(originals, Features))
                : null,
            CodebookUsage = usage?.Pooled.UsageFraction,
            UsedEntries = usage?.Pooled.UsedEntries,
            TokenEntropyBits = usage?.Pooled.EntropyBits,
            Perplexity = usage?.Pooled.Perplexity,
            PerCodebook = usage?.PerCodebook,
        };
    }

    internal static CodebookUsage Usage(CodebookCounts counts)
    {
        var usage = new CodebookUsage(counts.CodebookCount, counts.CodebookSize);
        usage.Merge(counts.Counts);
        return usage;
    }

    internal static FeatureStatistics StatisticsOf(FeatureMoments moments)
    {
        var statistics = new FeatureStatistics(moments.Mean.Length);
        statistics.Merge(moments);
        return statistics;
    }

    private static double FrechetDistanceOf(FeatureMoments first, FeatureMoments second)
    {
        using var a = StatisticsOf(first);
        using var b = StatisticsOf(second);
        return FrechetDistance.Compute(a, b);
    }

    private static MetricStatistics? Statistics(MetricMoments? moments) =>
        moments is null ? null : MetricStatistics.From(MetricAccumulator.From(moments).Summary);

    private static MetricMoments? MergeMetric(MetricMoments? first, MetricMoments? second, string metric) => (first, second) switch
    {
        (null, null) => null,
        ({ } a, { } b) => a.Merge(b),
        _ => throw Unlike(metric),
    };

    internal static FeatureMoments? MergeFeatures(FeatureMoments? first, FeatureMoments? second)
    {
        if (first is null || second is null)
            return first is null && second is null ? null : throw Unlike("rfid");
        using var merged = StatisticsOf(first);
        merged.Merge(second);
        return merged.Moments();
    }

    private static CodebookCounts? MergeCounts(CodebookCounts? first, CodebookCounts? second)
    {
        if (first is null || second is null)
            return first is null && second is null ? null : throw Unlike("codebook usage");
        if ((first.CodebookCount, first.CodebookSize) != (second.CodebookCount, second.CodebookSize))
            throw new InvalidDataException($"codebook histograms of {first.CodebookCount}×{first.CodebookSize} and {second.CodebookCount}×{second.CodebookSize} entries cannot be merged");
        var usage = Usage(first);
        usage.Merge(second.Counts);
        return new CodebookCounts(first.CodebookCount, first.CodebookSize, usage.Counts());
    }

    private static InvalidDataException Unlike(string metric) =>
        new($"one part of the evaluation measured {metric} and another did not: they were not run with the same options");
}
