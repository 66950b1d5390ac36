using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Imaging;

/// <summary>
/// Converts between 8-bit RGB images and the float32 tensors models take and give: channels first,
/// values in [−1, 1].
/// </summary>
public static class ImageTensors
{
    /// <summary>
    /// torchvision's <c>ToTensor</c> then <c>Normalize(0.5, 0.5)</c> for each byte value, in float32 with its
    /// order of operations, <c>(x / 255 − 0.5) / 0.5</c>. (For all 256 bytes this equals <c>x / 127.5 − 1</c>;
    /// keeping torchvision's order makes that a checked fact rather than a hope.)
    /// </summary>
    private static readonly float[] ByteToUnit = Enumerable.Range(0, 256)
        .Select(value => (float)((float)((float)(value / 255f) - 0.5f) / 0.5f)).ToArray();

    /// <summary>A float32 tensor [3, H, W] in [−1, 1].</summary>
    public static Tensor ToTensor(RgbImage image, Device? device = null)
    {
        using var batch = ToBatch([image], device);
        return batch.squeeze(0);
    }

    /// <summary>A float32 tensor [N, 3, H, W] in [−1, 1]; every image must have the same size.</summary>
    public static Tensor ToBatch(IReadOnlyList<RgbImage> images, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
            throw new ArgumentException("cannot make a batch of no images");
        int width = images[0].Width, height = images[0].Height, plane = width * height;
        var values = new float[(long)images.Count * 3 * plane];
        for (int index = 0; index < images.Count; index++)
        {
            var image = images[index];
            if (image.Width != width || image.Height != height)
                throw new ArgumentException(
                    $"image {index} is {image.Width}x{image.Height}, but image 0 is {width}x{height}; a batch needs one size");
            ToPlanes(image.Pixels, values.AsSpan(index * 3 * plane, 3 * plane));
        }
        return tensor(values, [images.Count, 3, height, width], ScalarType.Float32, device);
    }

    private static unsafe void ToPlanes(byte[] pixels, Span<float> planes)
    {
        int plane = pixels.Length / 3;
        fixed (byte* source = pixels)
        fixed (float* red = planes, table = ByteToUnit)
        {
            float* green = red + plane, blue = green + plane;
            byte* pixel = source;
            for (int index = 0; index < plane; index++, pixel += 3)
            {
                red[index] = table[pixel[0]];
                green[index] = table[pixel[1]];
                blue[index] = table[pixel[2]];
            }
        }
    }

    /// <summary>
    /// An image from a tensor [3, H, W] of values meant to lie in [−1, 1]: clamped, then
    /// <c>round((x + 1) · 127.5)</c> with halves rounded up, computed in float32 in the order torchvision's
    /// <c>save_image(normalize=True, value_range=(−1, 1))</c> uses, so saved pictures match the authors' bytes.
    /// </summary>
    public static RgbImage ToImage(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 3 || image.shape[0] != 3)
            throw new ArgumentException($"expected an image tensor [3, H, W], got [{string.Join(", ", image.shape)}]");
        using var batch = image.unsqueeze(0);
        return ToImages(batch)[0];
    }

    /// <summary>The images of a tensor [N, 3, H, W], converted as by <see cref="ToImage"/>.</summary>
    public static IReadOnlyList<RgbImage> ToImages(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4 || batch.shape[1] != 3)
            throw new ArgumentException($"expected an image batch [N, 3, H, W], got [{string.Join(", ", batch.shape)}]");
        int count = (int)batch.shape[0], height = (int)batch.shape[2], width = (int)batch.shape[3], plane = width * height;
        float[] values;
        using (var scope = NewDisposeScope())
            values = batch.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();

        var images = new RgbImage[count];
        for (int index = 0; index < count; index++)
        {
            var pixels = new byte[3 * plane];
            int offset = index * 3 * plane;
            for (int channel = 0; channel < 3; channel++)
                for (int pixel = 0; pixel < plane; pixel++)
                {
                    float value = values[offset + channel * plane + pixel];
                    if (float.IsNaN(value))
                        throw new InvalidDataException($"image {index} of the batch holds NaN values; the model's output is broken");
                    pixels[3 * pixel + channel] = UnitToByte(value);
                }
            images[index] = new RgbImage(width, height, pixels);
        }
        return images;
    }

    private static byte UnitToByte(float value)
    {
        float unit = (float)((float)(Math.Clamp(value, -1f, 1f) + 1f) / 2f);
        float scaled = (float)((float)(unit * 255f) + 0.5f);
        return (byte)Math.Clamp(scaled, 0f, 255f);
    }
}
