using GaussQuant.IO;
using SkiaSharp;

namespace GaussQuant.Imaging;

/// <summary>
/// Decodes PNG, JPEG, WebP and BMP files into 8-bit RGB with the pixel values Pillow's
/// <c>Image.open(f).convert("RGB")</c> gives, which is how the authors' data pipeline reads images:
/// greyscale is copied into R, G and B; alpha is dropped without compositing (colours are decoded
/// unpremultiplied, so a transparent pixel keeps its colour); palettes are looked up; no colour profile,
/// gamma chunk or EXIF orientation is applied; 16-bit colour channels keep their high byte.
/// One known difference: Pillow reads 16-bit greyscale PNGs as 32-bit integers and clips them to 255
/// when converting (an almost white picture); we keep the high byte, as for 16-bit colour.
/// Anything that is not a complete image of those formats fails with an <see cref="InvalidDataException"/>
/// that names the file and the problem, as Pillow refuses truncated files by default.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The most pixels one RGBA buffer (a .NET array) can hold, whatever limit is set.</summary>
    public static readonly long MaxBufferPixels = Array.MaxLength / 4;

    private static readonly SKEncodedImageFormat[] SupportedFormats =
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp];

    public static RgbImage Decode(string path) => Decode(File.ReadAllBytes(path), path);

    /// <param name="bytes">The encoded file.</param>
    /// <param name="name">What error messages call the file (usually its path).</param>
    /// <param name="maxPixels">Images declaring more pixels are refused before decoding (default: <see cref="ResourceLimits.Current"/>).</param>
    public static RgbImage Decode(byte[] bytes, string name, long? maxPixels = null)
    {
        long pixelBudget = Math.Min(maxPixels ?? ResourceLimits.Current.MaxImagePixels, MaxBufferPixels);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{name}: the file is empty, not an image");
        if (PngStructure.IsPng(bytes))
            PngStructure.Check(bytes, name);

        using var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var openResult)
            ?? throw new InvalidDataException(
                $"{name}: not a readable image: its bytes are not PNG, JPEG, WebP or BMP, or end inside the header ({Explain(openResult)})");
        if (!SupportedFormats.Contains(codec.EncodedFormat))
            throw new InvalidDataException($"{name}: {codec.EncodedFormat} images are not supported; use PNG, JPEG, WebP or BMP");

        var info = codec.Info;
        if ((long)info.Width * info.Height > pixelBudget)
            throw new InvalidDataException(
                $"{name}: {info.Width}x{info.Height} pixels is more than the {pixelBudget} allowed " +
                $"(a possible decompression bomb; {ResourceLimits.ImagePixelsVariable} raises the limit)");

        // A null colour space means "no colour conversion", matching Pillow, which ignores ICC profiles and gamma.
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888,
            info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul, colorspace: null);
        var rgba = new byte[4L * info.Width * info.Height];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* pixels = rgba)
                result = codec.GetPixels(target, (IntPtr)pixels);
        }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{name}: cannot decode the {codec.EncodedFormat} image: {Explain(result)}");
        // Skia fills the missing scans of a cut-off progressive JPEG and reports success; Pillow refuses such files.
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && !JpegStructure.ReachesEndOfImage(bytes))
            throw new InvalidDataException($"{name}: cannot decode the JPEG image: the file is truncated (no end-of-image marker)");

        return new RgbImage(info.Width, info.Height, DropAlpha(rgba));
    }

    private static byte[] DropAlpha(byte[] rgba)
    {
        var rgb = new byte[rgba.Length / 4 * 3];
        for (int source = 0, destination = 0; source < rgba.Length; source += 4, destination += 3)
        {
            rgb[destination] = rgba[source];
            rgb[destination + 1] = rgba[source + 1];
            rgb[destination + 2] = rgba[source + 2];
        }
        return rgb;
    }

    private static string Explain(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => "the image data is corrupt",
        SKCodecResult.Unimplemented => "the format is not recognised",
        _ => $"the decoder answered {result}",
    };
}
