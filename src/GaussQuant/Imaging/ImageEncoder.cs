using GaussQuant.Tokens;
using SkiaSharp;
using GaussQuant.IO;

namespace GaussQuant.Imaging;

/// <summary>Encodes 8-bit RGB images as PNG files (8-bit RGB, no colour profile).</summary>
public static class ImageEncoder
{
    public static byte[] EncodePng(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = new byte[4L * image.Width * image.Height];
        byte[] rgb = image.Pixels;
        for (int source = 0, destination = 0; source < rgb.Length; source += 3, destination += 4)
        {
            rgba[destination] = rgb[source];
            rgba[destination + 1] = rgb[source + 1];
            rgba[destination + 2] = rgb[source + 2];
            rgba[destination + 3] = byte.MaxValue;
        }
        // Opaque RGBA makes Skia write a PNG without an alpha channel; a null colour space writes no profile.
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque, colorspace: null);
        unsafe
        {
            fixed (byte* pixels = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)pixels, 4 * image.Width);
                using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 6))
                    ?? throw new InvalidOperationException($"Skia could not encode a {image.Width}x{image.Height} PNG");
                return data.ToArray();
            }
        }
    }

    /// <summary>Writes the PNG through a temporary file renamed into place, so a crash never leaves half a picture.</summary>
    public static void WritePng(string path, RgbImage image) => AtomicFile.WriteAllBytes(path, EncodePng(image));
}
