using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation;

/// <summary>
/// SSIM and MS-SSIM per image with the definitions of pytorch_msssim, which the authors' evaluation uses:
/// images in [-1, 1] are mapped to [0, 255] by (x + 1) · 127.5 (data range 255); an 11-tap Gaussian window
/// (σ 1.5) filters each channel separably without padding ("valid"); K1 = 0.01, K2 = 0.03; the SSIM map is
/// averaged over pixels, then over channels. MS-SSIM uses five scales with weights
/// (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), 2×2 average pooling between scales (an odd side is zero-padded by
/// one pixel on both ends and the zeros count, as in torch's avg_pool2d), relu on the contrast-structure terms
/// and on the last scale's SSIM, and the product of their powers.
/// Computed in float64 (the reference uses float32; the difference is below 1e-6 on natural images).
/// </summary>
public static class StructuralSimilarity
{
    public const int WindowSize = 11;
    public const double WindowSigma = 1.5;
    private const double DataRange = 255;
    private const double HalfRange = 127.5;
    private const double StabilityLuminance = 0.01 * DataRange * (0.01 * DataRange);
    private const double StabilityContrast = 0.03 * DataRange * (0.03 * DataRange);
    private static readonly double[] ScaleWeights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    /// <summary>
    /// The smallest side MS-SSIM is defined for: the reference requires the smaller side to exceed
    /// (window − 1) · 2^4 = 160 pixels, so that the window still fits after four halvings.
    /// </summary>
    public static int MultiScaleMinimumSide => (WindowSize - 1) * (1 << (ScaleWeights.Length - 1)) + 1;

    /// <summary>Whether MS-SSIM is defined for this size (see <see cref="MultiScaleMinimumSide"/>).</summary>
    public static bool IsMultiScaleAvailable(long height, long width) => Math.Min(height, width) >= MultiScaleMinimumSide;

    /// <summary>SSIM of each reconstruction against its original; both (B, C, H, W) in [-1, 1], sides ≥ 11.</summary>
    public static double[] Ssim(Tensor original, Tensor reconstruction)
    {
        RequireWindowFits(original, reconstruction);
        using var scope = NewDisposeScope();
        var (x, y) = (ToByteScale(original), ToByteScale(reconstruction));
        var (ssim, _) = PerChannelTerms(x, y, GaussianWindow(x.device));
        return ToArray(ssim.mean([1]));
    }

    /// <summary>
    /// MS-SSIM of each reconstruction against its original, or null when the images are too small for it
    /// (see <see cref="IsMultiScaleAvailable"/>): "not available", never NaN.
    /// </summary>
    public static double[]? MultiScaleSsim(Tensor original, Tensor reconstruction)
    {
        RequireWindowFits(original, reconstruction);
        if (!IsMultiScaleAvailable(original.shape[2], original.shape[3]))
            return null;
        using var scope = NewDisposeScope();
        var (x, y) = (ToByteScale(original), ToByteScale(reconstruction));
        var window = GaussianWindow(x.device);
        var powered = new List<Tensor>();
        for (int scale = 0; ; scale++)
        {
            var (ssim, contrastStructure) = PerChannelTerms(x, y, window);
            if (scale == ScaleWeights.Length - 1)
            {
                powered.Add(ssim.relu().pow(ScaleWeights[scale]));
                break;
            }
            powered.Add(contrastStructure.relu().pow(ScaleWeights[scale]));
            long[] padding = [x.shape[2] % 2, x.shape[3] % 2];
            x = avg_pool2d(x, [2, 2], padding: padding);
            y = avg_pool2d(y, [2, 2], padding: padding);
        }
        return ToArray(stack(powered).prod(dim: 0).mean([1]));
    }

    private static void RequireWindowFits(Tensor original, Tensor reconstruction)
    {
        ImageBatchChecks.RequirePair(original, reconstruction);
        if (original.shape[2] < WindowSize || original.shape[3] < WindowSize)
            throw new ArgumentException(
                $"SSIM needs images of at least {WindowSize}×{WindowSize} pixels; got {original.shape[2]}×{original.shape[3]}",
                nameof(original));
    }

    private static Tensor ToByteScale(Tensor image) => (image.to_type(ScalarType.Float64) + 1) * HalfRange;

    private static double[] ToArray(Tensor values) => values.cpu().data<double>().ToArray();

    /// <summary>The normalised 1-D Gaussian window, float64, centred on tap WindowSize / 2.</summary>
    private static Tensor GaussianWindow(Device device)
    {
        var coordinates = arange(WindowSize, ScalarType.Float64, device) - WindowSize / 2;
        var window = (-coordinates.square() / (2 * WindowSigma * WindowSigma)).exp();
        return window / window.sum();
    }

    /// <summary>Per-channel mean SSIM and mean contrast-structure term, each (B, C).</summary>
    private static (Tensor Ssim, Tensor ContrastStructure) PerChannelTerms(Tensor x, Tensor y, Tensor window)
    {
        // One grouped filtering pass over the five local statistics' inputs.
        var filtered = SeparableFilter(cat([x, y, x * x, y * y, x * y], 1), window).chunk(5, 1);
        var (meanX, meanY) = (filtered[0], filtered[1]);
        var varianceX = filtered[2] - meanX.square();
        var varianceY = filtered[3] - meanY.square();
        var covariance = filtered[4] - meanX * meanY;
        var contrastStructure = (2 * covariance + StabilityContrast) / (varianceX + varianceY + StabilityContrast);
        var luminance = (2 * meanX * meanY + StabilityLuminance) / (meanX.square() + meanY.square() + StabilityLuminance);
        var ssim = luminance * contrastStructure;
        return (ssim.flatten(2).mean([2]), contrastStructure.flatten(2).mean([2]));
    }

    /// <summary>Valid (unpadded) filtering of every channel along height, then width.</summary>
    private static Tensor SeparableFilter(Tensor input, Tensor window)
    {
        long channels = input.shape[1];
        var alongHeight = window.view(1, 1, WindowSize, 1).expand(channels, 1, WindowSize, 1);
        var alongWidth = window.view(1, 1, 1, WindowSize).expand(channels, 1, 1, WindowSize);
        return conv2d(conv2d(input, alongHeight, groups: channels), alongWidth, groups: channels);
    }
}
