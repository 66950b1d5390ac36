using System.Security.Cryptography;
using SkiaSharp;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// Test images as the evaluation fixture scripts make them (tools/fixtures/evaluation_common.py): synthetic
/// block-noise images, crops of the shared data set, the [-1, 1] mapping and the degradations standing in for
/// reconstructions. Images are uint8 (C, H, W) arrays; tensors are (1, C, H, W) float32.
/// </summary>
internal static class EvaluationImages
{
    /// <summary>uint8 (C, H, W): 16-pixel blocks, 4-pixel blocks and per-pixel noise, weighted 2:1:1 (integer maths).</summary>
    public static byte[] Synthetic(string key, int channels, int height, int width)
    {
        long[] coarse = IntegerNoise(key + "/coarse", channels * ((height + 15) / 16) * ((width + 15) / 16));
        long[] middle = IntegerNoise(key + "/middle", channels * ((height + 3) / 4) * ((width + 3) / 4));
        long[] fine = IntegerNoise(key + "/fine", channels * height * width);
        int coarseHeight = (height + 15) / 16, coarseWidth = (width + 15) / 16, middleHeight = (height + 3) / 4, middleWidth = (width + 3) / 4;
        var image = new byte[channels * height * width];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    long sum = 2 * coarse[(c * coarseHeight + y / 16) * coarseWidth + x / 16]
                        + middle[(c * middleHeight + y / 4) * middleWidth + x / 4]
                        + fine[(c * height + y) * width + x];
                    image[(c * height + y) * width + x] = (byte)(sum / 4);
                }
        return image;
    }

    /// <summary>An RGB crop of an image under ../shared (skips the test when absent), as uint8 (3, H, W).</summary>
    public static byte[] SharedCrop(string relativePath, int top, int left, int height, int width)
    {
        string path = TestPaths.RequireShared(relativePath.Split('/'));
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path}: cannot decode");
        var image = new byte[3 * height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var colour = bitmap.GetPixel(left + x, top + y);
                image[(0 * height + y) * width + x] = colour.Red;
                image[(1 * height + y) * width + x] = colour.Green;
                image[(2 * height + y) * width + x] = colour.Blue;
            }
        return image;
    }

    /// <summary>SHA-256 (hex) of the image's bytes in (H, W, C) order, as the fixture records it.</summary>
    public static string Sha256OfPixels(byte[] image, int channels, int height, int width)
    {
        var interleaved = new byte[image.Length];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < height * width; i++)
                interleaved[i * channels + c] = image[c * height * width + i];
        return Convert.ToHexStringLower(SHA256.HashData(interleaved));
    }

    /// <summary>(1, C, H, W) float32 in [-1, 1]: x / 127.5 − 1 computed in float64.</summary>
    public static Tensor ToSignedUnit(byte[] image, int channels, int height, int width) =>
        tensor(image.Select(value => (float)(value / 127.5 - 1.0)).ToArray(), [1, channels, height, width]);

    /// <summary>A float32 degraded copy (blur, noise, block, blur+noise) of a (1, C, H, W) image, unclamped like a reconstruction.</summary>
    public static Tensor Degrade(string degradation, Tensor image, string key)
    {
        using var scope = NewDisposeScope();
        var x = image.to_type(ScalarType.Float64);
        var degraded = degradation switch
        {
            "blur" => Blur(x),
            "noise" => AddNoise(key + "/noise", x, 0.1),
            "block" => 0.5 * x + 0.5 * nn.functional.avg_pool2d(x, [8, 8]).repeat_interleave(8, 2).repeat_interleave(8, 3),
            "blur+noise" => AddNoise(key + "/noise", Blur(x), 0.05),
            _ => throw new ArgumentException($"unknown degradation {degradation}"),
        };
        return degraded.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static long[] IntegerNoise(string key, long count) =>
        DeterministicValues.Uniform(key, count).Select(value => (long)Math.Floor(value * 256)).ToArray();

    /// <summary>Separable binomial [1, 4, 6, 4, 1] / 16 with edge replication, summed in the fixture script's order.</summary>
    private static Tensor Blur(Tensor x)
    {
        double[] kernel = [1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0];
        foreach (long dimension in new long[] { 2, 3 })
        {
            long side = x.shape[dimension];
            var padded = x.index_select(dimension, arange(-2, side + 2, ScalarType.Int64).clamp(0, side - 1));
            Tensor? sum = null;
            for (int k = 0; k < kernel.Length; k++)
            {
                var term = kernel[k] * padded.narrow(dimension, k, side);
                sum = sum is null ? term : sum + term;
            }
            x = sum!;
        }
        return x;
    }

    private static Tensor AddNoise(string key, Tensor x, double amplitude)
    {
        double[] u = DeterministicValues.Uniform(key, x.numel());
        return x + tensor(u.Select(value => amplitude * (2 * value - 1)).ToArray(), x.shape);
    }
}
