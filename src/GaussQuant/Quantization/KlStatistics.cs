using GaussQuant.Distributed;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>KL divergence of the batch's codebook groups, in bits per group: mean, smallest and largest.</summary>
public readonly record struct KlStatistics(double Mean, double Min, double Max)
{
    /// <summary>What quantizers without a KL term report: zeros.</summary>
    public static KlStatistics None => default;

    /// <summary>
    /// Mean, min and max of <paramref name="bits"/> (any shape, values in bits). In a data-parallel job they are the whole
    /// batch's: the sum and count, the min and the max are reduced over the ranks (the mean then in float64, which one
    /// process computes in float32: they differ by float32 rounding of the mean, ~√n·u relative).
    /// </summary>
    public static KlStatistics Of(Tensor bits, GlobalBatch? batch = null)
    {
        using var detached = bits.detach();
        using var min = detached.min();
        using var max = detached.max();
        if (batch is not { IsSplit: true })
        {
            using var mean = detached.mean();
            return new KlStatistics(mean.item<float>(), min.item<float>(), max.item<float>());
        }
        using var sum = detached.sum(ScalarType.Float64);
        double[] sumAndCount = [sum.item<double>(), detached.numel()];
        batch.Sum(sumAndCount);
        var (smallest, largest) = batch.MinMax(min.item<float>(), max.item<float>());
        return new KlStatistics(sumAndCount[0] / sumAndCount[1], smallest, largest);
    }
}
