using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ImageGridTests
{
    [Fact]
    public void PlacesImagesInRowsWithGaps()
    {
        var red = Solid(3, 2, 255, 0, 0);
        var blue = Solid(2, 4, 0, 0, 255);
        var grid = ImageGrid.Compose([[red, blue], [blue]], gap: 1, background: 9);

        // Columns are 3 and 2 wide, rows 4 and 4 tall, plus three gaps each way.
        Assert.Equal((3 + 2 + 3, 4 + 4 + 3), (grid.Width, grid.Height));
        Assert.Equal((byte)9, Pixel(grid, 0, 0).Red);
        Assert.Equal(((byte)255, (byte)0, (byte)0), Pixel(grid, 1, 1));
        Assert.Equal(((byte)9, (byte)9, (byte)9), Pixel(grid, 1, 3)); // below the shorter red image
        Assert.Equal(((byte)0, (byte)0, (byte)255), Pixel(grid, 5, 1));
        Assert.Equal(((byte)0, (byte)0, (byte)255), Pixel(grid, 1, 6));
        Assert.Equal(((byte)9, (byte)9, (byte)9), Pixel(grid, 5, 6)); // the second row has one image
    }

    [Fact]
    public void RefusesAnEmptyGrid()
    {
        Assert.Throws<ArgumentException>(() => ImageGrid.Compose([[]]));
    }

    private static RgbImage Solid(int width, int height, byte red, byte green, byte blue)
        => new(width, height, Enumerable.Repeat(new[] { red, green, blue }, width * height).SelectMany(pixel => pixel).ToArray());

    private static (byte Red, byte Green, byte Blue) Pixel(RgbImage image, int x, int y)
    {
        int offset = 3 * (y * image.Width + x);
        return (image.Pixels[offset], image.Pixels[offset + 1], image.Pixels[offset + 2]);
    }
}
