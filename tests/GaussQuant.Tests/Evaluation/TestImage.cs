using System.Text.Json;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>An original image of a fixture case, as the fixture scripts describe it: synthetic (by key) or a shared crop.</summary>
internal sealed record TestImage(string Key, byte[] Pixels, int Channels, int Height, int Width)
{
    public const string TinyImageNet = "data/tiny-imagenet-200-val/images";

    /// <summary>The image of an image-quality case ("source" holds either "synthetic" or a shared file and crop).</summary>
    public static TestImage FromQualityCase(JsonElement entry)
    {
        string key = entry.GetProperty("name").GetString()!;
        var source = entry.GetProperty("source");
        var shape = entry.GetProperty("shape").EnumerateArray().Select(side => side.GetInt32()).ToArray();
        byte[] pixels = source.TryGetProperty("synthetic", out _)
            ? EvaluationImages.Synthetic(key, shape[0], shape[1], shape[2])
            : EvaluationImages.SharedCrop(source.GetProperty("file").GetString()!, source.GetProperty("top").GetInt32(),
                source.GetProperty("left").GetInt32(), shape[1], shape[2]);
        var image = new TestImage(key, pixels, shape[0], shape[1], shape[2]);
        Assert.Equal(source.GetProperty("sha256_rgb").GetString(), EvaluationImages.Sha256OfPixels(pixels, shape[0], shape[1], shape[2]));
        return image;
    }

    /// <summary>A network-fixture image: ["synthetic", key, size, degradation] or ["real", index, 64, degradation] (Tiny-ImageNet val_index).</summary>
    public static TestImage FromNetworkPair(JsonElement pair)
    {
        var parts = pair.EnumerateArray().ToArray();
        int size = parts[2].GetInt32();
        if (parts[0].GetString() == "synthetic")
        {
            string key = parts[1].GetString()!;
            return new TestImage(key, EvaluationImages.Synthetic(key, 3, size, size), 3, size, size);
        }
        int index = parts[1].GetInt32();
        return new TestImage($"tiny-val_{index}", EvaluationImages.SharedCrop($"{TinyImageNet}/val_{index}.png", 0, 0, size, size), 3, size, size);
    }

    /// <summary>Originals and degraded copies, (B, 3, H, W) each, of a network fixture's list of pairs.</summary>
    public static (Tensor Originals, Tensor Reconstructions) NetworkPairs(JsonElement pairs)
    {
        var originals = new List<Tensor>();
        var reconstructions = new List<Tensor>();
        foreach (var pair in pairs.EnumerateArray())
        {
            var image = FromNetworkPair(pair);
            originals.Add(image.Original());
            reconstructions.Add(image.Degraded(pair[3].GetString()!));
        }
        return (cat(originals, 0), cat(reconstructions, 0));
    }

    /// <summary>(1, C, H, W) float32 in [-1, 1].</summary>
    public Tensor Original() => EvaluationImages.ToSignedUnit(Pixels, Channels, Height, Width);

    /// <summary>(1, C, H, W) float32 degraded copy, keyed by this image's key as in the fixture scripts.</summary>
    public Tensor Degraded(string degradation)
    {
        using var original = Original();
        return EvaluationImages.Degrade(degradation, original, Key);
    }
}
