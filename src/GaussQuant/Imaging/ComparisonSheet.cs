using System.Globalization;

namespace GaussQuant.Imaging;

/// <summary>
/// The picture <c>gq demo</c> writes: originals above what came back from their tokens, in a grid of at most
/// <see cref="MaxColumns"/> pairs per band, rows labelled, and each reconstruction captioned with its PSNR and bits per
/// pixel. Small images are enlarged by a whole factor (nearest neighbour, so no pixel is invented) until tiles are at
/// least <see cref="MinimumTileSide"/> pixels, where 64-pixel images would be too small to judge.
/// </summary>
public static class ComparisonSheet
{
    public const int MinimumTileSide = 128;
    public const int MaxColumns = 8;

    private const int TextScale = 2;
    private const int Gap = 6;
    private const int Margin = 12;
    private const byte Paper = 255;
    private const byte Ink = 40;
    private const string OriginalLabel = "original";
    private const string ReconstructionLabel = "tokens → image";
    private const string PsnrLabel = "PSNR";
    private const string BitsLabel = "bits per pixel";

    /// <param name="psnr">Per image, in dB (infinite for an exact copy).</param>
    public static RgbImage Compose(IReadOnlyList<RgbImage> originals, IReadOnlyList<RgbImage> reconstructions, IReadOnlyList<double> psnr,
        double bitsPerPixel)
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(reconstructions);
        ArgumentNullException.ThrowIfNull(psnr);
        if (originals.Count == 0 || originals.Count != reconstructions.Count || originals.Count != psnr.Count)
            throw new ArgumentException(
                $"a comparison needs as many reconstructions and PSNR values as originals, and at least one: {originals.Count}, {reconstructions.Count}, {psnr.Count}");

        int smallestSide = originals.Concat(reconstructions).Min(image => Math.Min(image.Width, image.Height));
        int factor = Math.Max(1, (MinimumTileSide + smallestSide - 1) / smallestSide);
        int tileWidth = factor * originals.Concat(reconstructions).Max(image => image.Width);
        int tileHeight = factor * originals.Concat(reconstructions).Max(image => image.Height);
        // As many bands as eight columns need, then the pairs spread evenly over them (20 images: 7, 7, 6).
        int bands = (originals.Count + MaxColumns - 1) / MaxColumns;
        int columns = (originals.Count + bands - 1) / bands;

        int lineHeight = BitmapFont.Height(TextScale) + Gap;
        int labelWidth = BitmapFont.Width(ReconstructionLabel, TextScale) + 2 * Gap;
        int bandHeight = 2 * tileHeight + Gap + 2 * lineHeight + Margin;
        int width = Margin + labelWidth + columns * (tileWidth + Gap) - Gap + Margin;
        int height = Margin + bands * bandHeight;
        var pixels = new byte[3L * width * height];
        Array.Fill(pixels, Paper);
        var sheet = new RgbImage(width, height, pixels);

        for (int band = 0; band < bands; band++)
        {
            int top = Margin + band * bandHeight, bottomTop = top + tileHeight + Gap;
            DrawCentred(sheet, OriginalLabel, Margin, labelWidth, top + (tileHeight - BitmapFont.Height(TextScale)) / 2);
            DrawCentred(sheet, ReconstructionLabel, Margin, labelWidth, bottomTop + (tileHeight - BitmapFont.Height(TextScale)) / 2);
            DrawCentred(sheet, PsnrLabel, Margin, labelWidth, bottomTop + tileHeight + Gap);
            DrawCentred(sheet, BitsLabel, Margin, labelWidth, bottomTop + tileHeight + Gap + lineHeight);
            for (int column = 0; column < columns && band * columns + column < originals.Count; column++)
            {
                int index = band * columns + column, left = Margin + labelWidth + column * (tileWidth + Gap);
                Paste(sheet, originals[index], factor, left, top);
                Paste(sheet, reconstructions[index], factor, left, bottomTop);
                int captionTop = bottomTop + tileHeight + Gap;
                DrawCentred(sheet, double.IsFinite(psnr[index]) ? psnr[index].ToString("F2", CultureInfo.InvariantCulture) + " dB" : "inf dB",
                    left, tileWidth, captionTop);
                DrawCentred(sheet, bitsPerPixel.ToString("0.###", CultureInfo.InvariantCulture) + " bpp", left, tileWidth, captionTop + lineHeight);
            }
        }
        return sheet;
    }

    private static void DrawCentred(RgbImage sheet, string text, int left, int width, int top) =>
        BitmapFont.Draw(sheet, text, left + Math.Max(0, (width - BitmapFont.Width(text, TextScale)) / 2), top, TextScale, Ink);

    /// <summary>Copies <paramref name="image"/> enlarged <paramref name="factor"/> times (each pixel a square) to (left, top).</summary>
    private static void Paste(RgbImage sheet, RgbImage image, int factor, int left, int top)
    {
        for (int y = 0; y < image.Height * factor; y++)
            for (int x = 0; x < image.Width * factor; x++)
                image.Pixels.AsSpan(3 * ((y / factor) * image.Width + x / factor), 3)
                    .CopyTo(sheet.Pixels.AsSpan(3 * ((top + y) * sheet.Width + left + x)));
    }
}
