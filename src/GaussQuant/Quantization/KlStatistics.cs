namespace GaussQuant.Quantization;

/// <summary>KL divergence of the batch's codebook groups, in bits per group: mean, smallest and largest.</summary>
public readonly record struct KlStatistics(double Mean, double Min, double Max)
{
    /// <summary>What quantizers without a KL term report: zeros.</summary>
    public static KlStatistics None => default;
}
