using static TorchSharp.torch;

namespace GaussQuant.Evaluation;

/// <summary>
/// Peak signal-to-noise ratio per image, as the authors' evaluation defines it: images in [-1, 1] are mapped
/// to [0, 255] by (x + 1) · 127.5 without rounding or clamping, mse is the mean over channels and pixels, and
/// PSNR = 20 · log10(255 / sqrt(mse)). Computed in float64. An exact reconstruction (mse = 0) gives
/// +∞, which is the right value; <see cref="MetricAccumulator"/> counts such images apart from the mean.
/// </summary>
public static class Psnr
{
    private const double PeakValue = 255;
    private const double HalfRange = 127.5;

    /// <summary>PSNR in dB of each reconstruction against its original; both (B, C, H, W) in [-1, 1], any device.</summary>
    public static double[] PerImage(Tensor original, Tensor reconstruction)
    {
        ImageBatchChecks.RequirePair(original, reconstruction);
        double[] meanSquaredErrors;
        using (NewDisposeScope())
        {
            // (x + 1)·127.5 − (y + 1)·127.5 = 127.5·(x − y); float64 keeps the small differences exact.
            var difference = (original.to_type(ScalarType.Float64) - reconstruction.to_type(ScalarType.Float64)) * HalfRange;
            meanSquaredErrors = difference.square().mean([1, 2, 3]).cpu().data<double>().ToArray();
        }
        return meanSquaredErrors.Select(mse => 20 * Math.Log10(PeakValue / Math.Sqrt(mse))).ToArray();
    }
}
