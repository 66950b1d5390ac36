using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ComparisonSheetTests
{
    private static RgbImage Solid(int side, byte red, byte green, byte blue)
    {
        var pixels = new byte[3 * side * side];
        for (int index = 0; index < pixels.Length; index += 3)
            (pixels[index], pixels[index + 1], pixels[index + 2]) = (red, green, blue);
        return new RgbImage(side, side, pixels);
    }

    private static int Count(RgbImage image, byte red, byte green, byte blue)
    {
        int count = 0;
        for (int index = 0; index < image.Pixels.Length; index += 3)
            if (image.Pixels[index] == red && image.Pixels[index + 1] == green && image.Pixels[index + 2] == blue)
                count++;
        return count;
    }

    [Fact]
    public void SmallImagesAreEnlargedToWholeTilesOfAtLeast128PixelsAndTwentyWrapIntoThreeBands()
    {
        var originals = Enumerable.Range(0, 20).Select(_ => Solid(64, 200, 10, 10)).ToList();
        var reconstructions = Enumerable.Range(0, 20).Select(_ => Solid(64, 10, 10, 200)).ToList();
        var sheet = ComparisonSheet.Compose(originals, reconstructions, Enumerable.Repeat(21.5, 20).ToList(), 0.75);

        // Every pixel of every 64-pixel image became a 2×2 square: 20 tiles of 128×128 per row kind.
        Assert.Equal(20 * 128 * 128, Count(sheet, 200, 10, 10));
        Assert.Equal(20 * 128 * 128, Count(sheet, 10, 10, 200));
        // 20 pairs: three bands of at most 7 columns (8 at most, spread evenly), not one row of 20.
        Assert.InRange(sheet.Width, 7 * 128, 8 * 128 + 300);
        Assert.InRange(sheet.Height, 3 * 2 * 128, 3 * (2 * 128 + 80) + 40);
    }

    [Fact]
    public void RowsAreLabelledAndTilesCaptionedInInk()
    {
        var sheet = ComparisonSheet.Compose([Solid(128, 0, 255, 0)], [Solid(128, 0, 0, 255)], [double.PositiveInfinity], 0.25);
        // The labels, PSNR and bits per pixel are drawn in the font's dark grey; nothing else on the sheet is that colour.
        Assert.True(Count(sheet, 40, 40, 40) > 500, "no labels were drawn");
        var blank = ComparisonSheet.Compose([Solid(128, 0, 255, 0)], [Solid(128, 0, 0, 255)], [20.0], 0.25);
        Assert.NotEqual(sheet.Pixels, blank.Pixels);
    }

    [Fact]
    public void TheFontRefusesACharacterItHasNoGlyphFor()
    {
        var image = Solid(32, 255, 255, 255);
        BitmapFont.Draw(image, "PSNR 0.75 bpp → dB", 0, 0, 1, 0);
        var error = Assert.Throws<ArgumentException>(() => BitmapFont.Draw(image, "Ω", 0, 0, 1, 0));
        Assert.Contains("no glyph for 'Ω'", error.Message);
    }
}
