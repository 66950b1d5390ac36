using GaussQuant.Imaging;

namespace GaussQuant.Reports;

/// <summary>
/// The tokens of one image (its first codebook position) drawn as colours, one pixel per latent position: a patch of
/// one colour is one token repeated, so the picture shows which regions the tokenizer describes with one entry (with
/// thousands of entries, two can look alike). Colours come from the token index alone (<see cref="Colour"/>), so the
/// same token has the same colour in every report.
/// </summary>
public sealed record TokenMap(string Path, int Height, int Width, int CodebookSize, int DistinctTokens, EmbeddedImage Image)
{
    /// <param name="tokens">The indices, row by row, <paramref name="height"/> × <paramref name="width"/>.</param>
    public static TokenMap From(string path, IReadOnlyList<long> tokens, int height, int width, int codebookSize)
    {
        if (tokens.Count != height * width)
            throw new ArgumentException($"a {height}×{width} token map needs {height * width} tokens, not {tokens.Count}");
        var pixels = new byte[3 * tokens.Count];
        for (int position = 0; position < tokens.Count; position++)
        {
            var (r, g, b) = Colour(tokens[position]);
            pixels[3 * position] = r;
            pixels[3 * position + 1] = g;
            pixels[3 * position + 2] = b;
        }
        int distinct = tokens.Distinct().Count();
        var image = EmbeddedImage.Of(new RgbImage(width, height, pixels),
            $"Token map of {System.IO.Path.GetFileName(path)}: {height}×{width} tokens, {distinct} distinct entries of {codebookSize}, one colour per entry");
        return new TokenMap(path, height, width, codebookSize, distinct, image);
    }

    /// <summary>
    /// A colour for a token: the hue steps by the golden angle from one index to the next, so neighbouring indices
    /// (which the quasi-random codebook makes unrelated) look different; lightness alternates over three levels.
    /// </summary>
    public static (byte R, byte G, byte B) Colour(long token)
    {
        double hue = (token * 0.6180339887498949) % 1.0;
        double lightness = 0.38 + 0.14 * (token % 3);
        return FromHsl(hue, 0.75, lightness);
    }

    private static (byte, byte, byte) FromHsl(double hue, double saturation, double lightness)
    {
        double chroma = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        double sector = hue * 6, x = chroma * (1 - Math.Abs(sector % 2 - 1)), m = lightness - chroma / 2;
        var (r, g, b) = (int)sector switch
        {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        return (ToByte(r + m), ToByte(g + m), ToByte(b + m));
    }

    private static byte ToByte(double unit) => (byte)Math.Round(Math.Clamp(unit, 0, 1) * 255);
}
