using GaussQuant.Imaging;
using static TorchSharp.torch;

namespace GaussQuant.Reports;

/// <summary>
/// The absolute error of a reconstruction as a picture: per pixel, |x − x̂| averaged over the channels in 8-bit units
/// (the reconstruction unclamped, as the metrics see it), coloured from black (0) through purple and orange to pale
/// yellow at <see cref="SaturationLevel"/> and above. One fixed scale for every image, so the heat maps of the worst
/// and the best reconstruction can be compared at a glance.
/// </summary>
public static class ErrorHeatMap
{
    /// <summary>The error (of 255) drawn at full colour: a quarter of the range, beyond which an image is plainly wrong.</summary>
    public const double SaturationLevel = 64;

    private static readonly (double At, byte R, byte G, byte B)[] Stops =
        [(0, 0, 0, 4), (0.25, 87, 16, 110), (0.5, 188, 55, 84), (0.75, 249, 142, 9), (1, 252, 255, 164)];

    /// <param name="original">One image [3, H, W] in [−1, 1].</param>
    /// <param name="reconstruction">Its reconstruction [3, H, W].</param>
    public static RgbImage From(Tensor original, Tensor reconstruction)
    {
        double[] errors;
        int height = (int)original.shape[1], width = (int)original.shape[2];
        using (NewDisposeScope())
            errors = ((original.to_type(ScalarType.Float64) - reconstruction.to_type(ScalarType.Float64)).abs() * 127.5)
                .mean([0]).cpu().contiguous().data<double>().ToArray();
        var pixels = new byte[3 * errors.Length];
        for (int pixel = 0; pixel < errors.Length; pixel++)
        {
            var (r, g, b) = Colour(errors[pixel] / SaturationLevel);
            pixels[3 * pixel] = r;
            pixels[3 * pixel + 1] = g;
            pixels[3 * pixel + 2] = b;
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>The colour of a fraction of the saturation level (clamped to [0, 1]).</summary>
    public static (byte R, byte G, byte B) Colour(double fraction)
    {
        fraction = double.IsNaN(fraction) ? 1 : Math.Clamp(fraction, 0, 1);
        int upper = 1;
        while (Stops[upper].At < fraction)
            upper++;
        var (low, high) = (Stops[upper - 1], Stops[upper]);
        double t = (fraction - low.At) / (high.At - low.At);
        return (Mix(low.R, high.R, t), Mix(low.G, high.G, t), Mix(low.B, high.B, t));
    }

    private static byte Mix(byte from, byte to, double t) => (byte)Math.Round(from + (to - from) * t);
}
