using GaussQuant.IO;

namespace GaussQuant.Models;

/// <summary>
/// Estimates the activation memory one inference pass of the UNet encoder or decoder holds at once, from the options
/// and the image size alone, so that a size whose pass cannot fit is refused (or its batch made smaller) before
/// LibTorch is asked for the memory. Attention is computed in query chunks (<see cref="Nn.AttnBlock"/>), so its
/// scores add a bounded amount and the feature maps dominate.
/// </summary>
public static class ActivationMemory
{
    /// <summary>
    /// Feature maps of one level's width and size alive together: a ResnetBlock's forward keeps its input, both
    /// norms, both SiLUs, both convolutions, the skip and the sum until it returns (9), plus the caller's input.
    /// An upsampler's interpolated map and convolution (2 maps at 4× the area, 8) stay below that.
    /// </summary>
    private const int LiveMaps = 10;

    private const double BytesPerValue = sizeof(float);

    /// <summary>Bytes of activations for <paramref name="batch"/> images of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public static double Estimate(UNetOptions options, long batch, double height, double width)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multipliers = options.ChannelMultipliers;
        double largestMap = 0, largestScores = 0;
        for (int level = 0; level < multipliers.Count; level++)
        {
            // Level i works at 1/2^i of the image; the decoder feeds it the coarser level's (wider) maps.
            double area = Math.Ceiling(height / Math.Pow(2, level)) * Math.Ceiling(width / Math.Pow(2, level));
            int widest = Math.Max(multipliers[level], level + 1 < multipliers.Count ? multipliers[level + 1] : 0);
            largestMap = Math.Max(largestMap, area * options.Channels * widest);
            if (options.HasAttentionAt(options.Resolution >> level))
                largestScores = Math.Max(largestScores, Math.Min(BytesPerValue * area * area, Nn.AttnBlock.ChunkBytes));
        }
        return batch * (LiveMaps * BytesPerValue * largestMap + largestScores);
    }

    /// <exception cref="InvalidDataException">naming <paramref name="what"/>, the need and the limit, when the pass does not fit.</exception>
    public static void Require(UNetOptions options, long batch, double height, double width, string what)
    {
        long limit = ResourceLimits.Current.MaxActivationBytes;
        double need = Estimate(options, batch, height, width);
        if (need > limit)
            throw new InvalidDataException(
                $"{what}: running the network on {batch} image(s) of {height}x{width} pixels needs about {ResourceLimits.Describe(need)} " +
                $"of activations, more than the {ResourceLimits.Describe(limit)} allowed ({ResourceLimits.ActivationBytesVariable} raises the limit)");
    }

    /// <summary>
    /// The largest batch of at most <paramref name="requested"/> images of this size whose pass fits
    /// <see cref="ResourceLimits.MaxActivationBytes"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">when one image alone does not fit.</exception>
    public static int BatchWithin(UNetOptions options, double height, double width, int requested, string what)
    {
        Require(options, 1, height, width, what);
        double fitting = Math.Floor(ResourceLimits.Current.MaxActivationBytes / Estimate(options, 1, height, width));
        return (int)Math.Clamp(fitting, 1, Math.Max(1, requested));
    }
}
