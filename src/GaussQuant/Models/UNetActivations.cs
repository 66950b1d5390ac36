namespace GaussQuant.Models;

/// <summary>
/// The activation memory one inference pass of the UNet encoder or decoder holds at once for one image, from the
/// options and the image size alone. Attention is computed in query chunks (<see cref="Nn.AttnBlock"/>), so its
/// scores add a bounded amount and the feature maps dominate.
/// </summary>
internal static class UNetActivations
{
    /// <summary>
    /// Feature maps of one level's width and size alive together: a ResnetBlock's forward keeps its input, both
    /// norms, both SiLUs, both convolutions, the skip and the sum until it returns (9), plus the caller's input.
    /// An upsampler's interpolated map and convolution (2 maps at 4× the area, 8) stay below that.
    /// </summary>
    private const int LiveMaps = 10;

    private const double BytesPerValue = sizeof(float);

    public static double PerImage(UNetOptions options, double height, double width)
    {
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
        return LiveMaps * BytesPerValue * largestMap + largestScores;
    }
}
