using GaussQuant.Imaging;

namespace GaussQuant.Tests.Training;

/// <summary>Training data for the trainer's tests: 16×16 PNGs of uniform noise, the same for the same count.</summary>
internal static class NoiseImages
{
    public static void Write(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[16 * 16 * 3];
            random.NextBytes(pixels);
            ImageEncoder.WritePng(Path.Combine(folder, $"image{i:D2}.png"), new RgbImage(16, 16, pixels));
        }
    }
}
