using static TorchSharp.torch;

namespace GaussQuant.Evaluation;

/// <summary>Argument checks shared by the image metrics and networks: clear errors instead of NaN results.</summary>
internal static class ImageBatchChecks
{
    /// <summary>A floating-point (B, C, H, W) batch with at least one image and only finite values.</summary>
    public static void RequireImageBatch(Tensor images, string name, long? channels = null)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"{name} must be a (batch, channels, height, width) tensor; got shape [{string.Join(", ", images.shape)}]", name);
        if (!images.is_floating_point())
            throw new ArgumentException($"{name} must hold floating-point pixels in [-1, 1]; got {images.dtype}", name);
        if (images.shape[0] == 0)
            throw new ArgumentException($"{name} holds no images", name);
        if (channels is long expected && images.shape[1] != expected)
            throw new ArgumentException($"{name} must have {expected} channels; got {images.shape[1]}", name);
        using var finite = isfinite(images).all();
        if (!finite.item<bool>())
            throw new ArgumentException($"{name} contains NaN or infinite values", name);
    }

    /// <summary>Two image batches of the same shape (originals and their reconstructions).</summary>
    public static void RequirePair(Tensor original, Tensor reconstruction, long? channels = null)
    {
        RequireImageBatch(original, nameof(original), channels);
        RequireImageBatch(reconstruction, nameof(reconstruction), channels);
        if (!original.shape.SequenceEqual(reconstruction.shape))
            throw new ArgumentException(
                $"original [{string.Join(", ", original.shape)}] and reconstruction [{string.Join(", ", reconstruction.shape)}] differ in shape",
                nameof(reconstruction));
    }
}
