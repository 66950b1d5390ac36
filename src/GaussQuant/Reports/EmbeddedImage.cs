using GaussQuant.Imaging;

namespace GaussQuant.Reports;

/// <summary>A picture a report page carries inside itself as PNG bytes, with the text a screen reader says for it.</summary>
public sealed record EmbeddedImage(byte[] Png, int Width, int Height, string AlternativeText)
{
    public static EmbeddedImage Of(RgbImage image, string alternativeText) =>
        new(ImageEncoder.EncodePng(image), image.Width, image.Height, alternativeText);

    /// <summary>A copy no larger than <paramref name="maximumSide"/> on either side (thumbnails keep big pages light).</summary>
    public static EmbeddedImage Thumbnail(RgbImage image, int maximumSide, string alternativeText)
    {
        int longer = Math.Max(image.Width, image.Height);
        if (longer <= maximumSide)
            return Of(image, alternativeText);
        int width = Math.Max(1, (int)Math.Round((double)image.Width * maximumSide / longer));
        int height = Math.Max(1, (int)Math.Round((double)image.Height * maximumSide / longer));
        return Of(BilinearResampler.Resize(image, width, height), alternativeText);
    }

    public string DataUri => "data:image/png;base64," + Convert.ToBase64String(Png);
}
