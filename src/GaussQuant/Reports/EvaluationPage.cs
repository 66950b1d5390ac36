using GaussQuant.Pipelines;

namespace GaussQuant.Reports;

/// <summary>
/// Everything the evaluation page shows (<c>gq eval --html</c>): the JSON report itself (every number of the metrics
/// table is read from it), the model in words, the worst, median and best reconstructions by PSNR of
/// <see cref="Mode"/> (vq when it was evaluated), the token map of the median image, the codebook usage (vq only), the
/// per-image PSNR distribution of each mode and thumbnails of the lowest-PSNR images. Its size does not grow with the
/// number of images: three full-size selections, a fixed number of thumbnails, binned distributions.
/// </summary>
public sealed record EvaluationPage
{
    public required EvaluationReport Report { get; init; }

    public required ModelSummary Model { get; init; }

    /// <summary>The mode (<c>vq</c> / <c>mean</c>) the selections, token map and thumbnails come from.</summary>
    public required string Mode { get; init; }

    /// <summary>Worst, median and best by PSNR, in that order (fewer when fewer images were evaluated).</summary>
    public required IReadOnlyList<ReconstructionSample> Selections { get; init; }

    public TokenMap? TokenMap { get; init; }

    /// <summary>Pooled over the codebook positions; null without the vq mode.</summary>
    public CodebookUsageChart? Usage { get; init; }

    /// <summary>Per-image PSNR of each mode, binned; keyed like <see cref="EvaluationReport.Modes"/>.</summary>
    public required IReadOnlyDictionary<string, Histogram> PsnrDistributions { get; init; }

    /// <summary>The lowest-PSNR images of <see cref="Mode"/>, lowest first.</summary>
    public required IReadOnlyList<ImageThumbnail> LowestPsnr { get; init; }
}
