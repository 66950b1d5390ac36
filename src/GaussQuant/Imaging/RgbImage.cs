namespace GaussQuant.Imaging;

/// <summary>
/// An 8-bit RGB picture held as <see cref="Height"/> rows of <see cref="Width"/> pixels, three bytes (R, G, B) per
/// pixel, rows top to bottom: the layout of a Pillow "RGB" image and of a NumPy <c>[H, W, 3]</c> uint8 array.
/// Operations return new images; treat <see cref="Pixels"/> as read-only once an image is shared.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"an image needs a positive size, not {width}x{height}");
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != 3L * width * height)
            throw new ArgumentException($"a {width}x{height} RGB image holds {3L * width * height} bytes, but {pixels.LongLength} were given");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>The rectangle whose top-left pixel is (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public RgbImage Crop(int left, int top, int width, int height)
    {
        if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > Width || top + height > Height)
            throw new ArgumentException($"the crop {width}x{height} at ({left}, {top}) does not lie inside a {Width}x{Height} image");
        var pixels = new byte[3 * width * height];
        for (int row = 0; row < height; row++)
            Pixels.AsSpan(3 * ((top + row) * Width + left), 3 * width).CopyTo(pixels.AsSpan(3 * row * width));
        return new RgbImage(width, height, pixels);
    }

    /// <summary>The mirror image, left and right swapped.</summary>
    public RgbImage FlipHorizontal()
    {
        var pixels = new byte[Pixels.Length];
        for (int row = 0; row < Height; row++)
            for (int column = 0; column < Width; column++)
                Pixels.AsSpan(3 * (row * Width + column), 3).CopyTo(pixels.AsSpan(3 * (row * Width + Width - 1 - column)));
        return new RgbImage(Width, Height, pixels);
    }
}
