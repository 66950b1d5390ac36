namespace GaussQuant.Imaging;

/// <summary>
/// Resizes 8-bit RGB images with the antialiased bilinear filter of Pillow's <c>Image.resize(size, BILINEAR)</c>,
/// which torchvision's <c>Resize</c> calls on Pillow images, bit for bit. The algorithm (Pillow's
/// ImagingResample, described here from its behaviour): a triangle filter whose support widens by the
/// downscale factor, so every source pixel under an output pixel counts; a horizontal pass and then a vertical
/// pass; weights normalised to sum 1 and turned into 22-bit fixed point; each pass rounds and clips to 8 bits.
/// </summary>
public static class BilinearResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double FilterSupport = 1.0;

    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"cannot resize to {width}x{height}: both sides must be positive");
        if (width == image.Width && height == image.Height)
            return image;

        var horizontal = Taps.For(image.Width, width);
        var vertical = Taps.For(image.Height, height);
        if (width == image.Width)
            return Filter(image, vertical, alongRows: false, firstSourceRow: 0, outputRows: height);

        // Only the source rows the vertical pass will read go through the horizontal pass.
        int firstRow = vertical.First[0];
        int endRow = vertical.First[height - 1] + vertical.Count[height - 1];
        var wide = Filter(image, horizontal, alongRows: true, firstRow, outputRows: endRow - firstRow);
        return height == image.Height ? wide : Filter(wide, vertical, alongRows: false, firstRow, outputRows: height);
    }

    /// <summary>
    /// One pass: along rows (each output pixel mixes neighbours in its source row, starting at row
    /// <paramref name="firstSourceRow"/>) or along columns (neighbours in its column; the source's row 0 is
    /// the original image's row <paramref name="firstSourceRow"/>).
    /// </summary>
    private static unsafe RgbImage Filter(RgbImage source, Taps taps, bool alongRows, int firstSourceRow, int outputRows)
    {
        int width = alongRows ? taps.OutputSize : source.Width;
        int step = alongRows ? 3 : 3 * source.Width;
        var output = new byte[3 * width * outputRows];
        fixed (byte* input = source.Pixels, target = output)
        fixed (int* allWeights = taps.Weights, firsts = taps.First, counts = taps.Count)
        {
            byte* destination = target;
            for (int row = 0; row < outputRows; row++)
            {
                for (int column = 0; column < width; column++, destination += 3)
                {
                    int index = alongRows ? column : row;
                    int first = firsts[index], count = counts[index];
                    int* weights = allWeights + index * taps.Stride;
                    byte* pixel = input + (alongRows
                        ? 3 * ((firstSourceRow + row) * source.Width + first)
                        : 3 * ((first - firstSourceRow) * source.Width + column));
                    int red = Rounding, green = Rounding, blue = Rounding;
                    for (int tap = 0; tap < count; tap++, pixel += step)
                    {
                        int weight = weights[tap];
                        red += pixel[0] * weight;
                        green += pixel[1] * weight;
                        blue += pixel[2] * weight;
                    }
                    destination[0] = ClipToByte(red);
                    destination[1] = ClipToByte(green);
                    destination[2] = ClipToByte(blue);
                }
            }
        }
        return new RgbImage(width, outputRows, output);
    }

    private const int Rounding = 1 << (PrecisionBits - 1);

    private static byte ClipToByte(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>For each output pixel along one axis: the first source pixel, how many follow, and their weights.</summary>
    private sealed class Taps
    {
        public required int OutputSize { get; init; }
        public required int Stride { get; init; }
        public required int[] First { get; init; }
        public required int[] Count { get; init; }
        public required int[] Weights { get; init; }

        // Every floating-point step below keeps Pillow's order of operations (multiplying by the reciprocal of the
        // scale, normalising by division), because a last-bit difference can move a fixed-point weight.
        public static Taps For(int inputSize, int outputSize)
        {
            double scale = (double)inputSize / outputSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = FilterSupport * filterScale;
            double inverseFilterScale = 1.0 / filterScale;
            int stride = (int)Math.Ceiling(support) * 2 + 1;

            var first = new int[outputSize];
            var count = new int[outputSize];
            var weights = new int[outputSize * stride];
            var exact = new double[stride];
            for (int output = 0; output < outputSize; output++)
            {
                double center = (output + 0.5) * scale;
                int start = Math.Max((int)(center - support + 0.5), 0);
                int end = Math.Min((int)(center + support + 0.5), inputSize);
                int taps = end - start;
                double total = 0.0;
                for (int tap = 0; tap < taps; tap++)
                {
                    exact[tap] = Triangle((tap + start - center + 0.5) * inverseFilterScale);
                    total += exact[tap];
                }
                for (int tap = 0; tap < taps; tap++)
                {
                    double weight = total != 0.0 ? exact[tap] / total : exact[tap];
                    weights[output * stride + tap] = (int)(weight < 0 ? -0.5 + weight * (1 << PrecisionBits) : 0.5 + weight * (1 << PrecisionBits));
                }
                first[output] = start;
                count[output] = taps;
            }
            return new Taps { OutputSize = outputSize, Stride = stride, First = first, Count = count, Weights = weights };
        }

        private static double Triangle(double x)
        {
            x = Math.Abs(x);
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    }
}
