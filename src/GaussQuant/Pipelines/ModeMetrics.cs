using GaussQuant.Evaluation;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>
/// Streams one reconstruction mode's metrics over the batches: per-image values into running means, Inception
/// features into running moments, token indices into histograms. Nothing is kept per image, so memory is flat.
/// </summary>
internal sealed class ModeMetrics : IDisposable
{
    private readonly MetricPlan plan;
    private readonly EvaluationStopwatches stopwatches;
    private readonly MetricAccumulator psnr = new();
    private readonly MetricAccumulator ssim = new();
    private readonly MetricAccumulator msSsim = new();
    private readonly MetricAccumulator lpips = new();
    private readonly FeatureStatistics? features;
    private readonly CodebookUsage? codebookUsage;

    /// <param name="codebookUsage">The token histograms to fill (vq mode), or null.</param>
    public ModeMetrics(ReconstructionMode mode, MetricPlan plan, EvaluationStopwatches stopwatches, CodebookUsage? codebookUsage)
    {
        Mode = mode;
        this.plan = plan;
        this.stopwatches = stopwatches;
        this.codebookUsage = codebookUsage;
        features = plan.Inception is null ? null : new FeatureStatistics(FidInceptionV3.FeatureDimension);
    }

    public ReconstructionMode Mode { get; }

    /// <summary>
    /// Adds a batch: originals and this mode's (unclamped) reconstructions, (B, 3, S, S) in [-1, 1], and the batch's tokens
    /// (null for a model without tokens). Returns the batch's per-image PSNR and SSIM (null when not computed), which the
    /// report page selects images by.
    /// </summary>
    public (double[] Psnr, double[]? Ssim) Add(Tensor originals, Tensor reconstructions, Tensor? indices)
    {
        var (batchPsnr, batchSsim) = EvaluationStopwatches.Time(stopwatches.PixelMetrics, () =>
        {
            var values = PixelMetrics(originals, reconstructions);
            psnr.AddRange(values.Psnr);
            if (values.Ssim is not null)
                ssim.AddRange(values.Ssim);
            if (plan.MsSsim)
                msSsim.AddRange(StructuralSimilarity.MultiScaleSsim(originals, reconstructions)!);
            return values;
        });
        if (plan.Lpips is { } network)
            lpips.AddRange(EvaluationStopwatches.Time(stopwatches.Lpips, () => network.Distances(originals, reconstructions)));
        if (plan.Inception is { } inception)
            EvaluationStopwatches.Time(stopwatches.Fid, () =>
            {
                using var batchFeatures = inception.Features(reconstructions);
                features!.Add(batchFeatures);
            });
        if (indices is not null) codebookUsage?.Add(indices);
        return (batchPsnr, batchSsim);
    }

    /// <summary>Per-image PSNR and (where the plan computes it) SSIM of a batch.</summary>
    public (double[] Psnr, double[]? Ssim) PixelMetrics(Tensor originals, Tensor reconstructions) =>
        (Psnr.PerImage(originals, reconstructions), plan.Ssim ? StructuralSimilarity.Ssim(originals, reconstructions) : null);

    /// <summary>The vq tokens' entry counts summed over the codebook positions; null for a mode without codebook statistics.</summary>
    public long[]? PooledHistogram() => codebookUsage?.PooledHistogram();

    /// <summary>What the report is computed from, for merging with other ranks' or shards' (see <see cref="ModeStatistics"/>).</summary>
    public ModeStatistics Statistics() => new(psnr.Moments, plan.Ssim ? ssim.Moments : null, plan.MsSsim ? msSsim.Moments : null,
        plan.Lpips is null ? null : lpips.Moments, features?.Moments(),
        codebookUsage is null ? null : new CodebookCounts(codebookUsage.CodebookCount, codebookUsage.CodebookSize, codebookUsage.Counts()));

    public void Dispose() => features?.Dispose();
}
