using GaussQuant.Evaluation;

namespace GaussQuant.Pipelines;

/// <summary>
/// The metrics of one reconstruction mode. A metric that was not computed is null (absent from the JSON) and listed
/// with its reason in <see cref="EvaluationReport.NotComputed"/>. Codebook statistics exist for the vq mode only:
/// <see cref="CodebookUsage"/> is the fraction of entries used, pooled over the codebook positions, with the entropy
/// (bits) and perplexity of that pooled distribution; <see cref="PerCodebook"/> has the same per position k.
/// </summary>
public sealed record EvaluationModeReport
{
    public required MetricStatistics Psnr { get; init; }

    public MetricStatistics? Ssim { get; init; }

    public MetricStatistics? MsSsim { get; init; }

    public MetricStatistics? Lpips { get; init; }

    /// <summary>Fréchet Inception distance between the originals' and the reconstructions' pool3 features.</summary>
    public double? Rfid { get; init; }

    public double? CodebookUsage { get; init; }

    public long? UsedEntries { get; init; }

    public double? TokenEntropyBits { get; init; }

    public double? Perplexity { get; init; }

    public IReadOnlyList<CodebookUsageStatistics>? PerCodebook { get; init; }
}
