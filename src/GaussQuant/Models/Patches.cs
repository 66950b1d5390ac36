using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>The ViT's patch layout (spec §1.7): token hh·(S/p) + ww, value c·p² + sh·p + sw.</summary>
internal static class Patches
{
    /// <summary>One learned position per patch, [L, width], initialised as the authors' (N(0, 1/width)).</summary>
    public static TorchSharp.Modules.Parameter PositionalEmbedding(ViTOptions options, Device? device) =>
        new(randn(options.Tokens, options.Width, device: device).mul(Math.Pow(options.Width, -0.5)));

    /// <summary>[B, 3, S, S] → [B, L, 3p²].</summary>
    public static Tensor Split(Tensor images, ViTOptions options)
    {
        int side = options.ImageSize, patch = options.PatchSize, grid = options.GridSide;
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != side || images.shape[3] != side)
            throw new ArgumentException(
                $"the ViT's positional embedding fits {side}×{side} RGB images only ({grid}×{grid} patches of {patch}), " +
                $"got [{string.Join(", ", images.shape)}]; resize the images to {side} (the default preprocessing does)");
        return images.reshape(images.shape[0], 3, grid, patch, grid, patch).permute(0, 2, 4, 1, 3, 5)
            .reshape(images.shape[0], options.Tokens, options.PatchValues);
    }

    /// <summary>[B, L, 3p²] → [B, 3, S, S].</summary>
    public static Tensor Join(Tensor patches, ViTOptions options)
    {
        int patch = options.PatchSize, grid = options.GridSide;
        return patches.reshape(patches.shape[0], grid, grid, 3, patch, patch).permute(0, 3, 1, 4, 2, 5)
            .reshape(patches.shape[0], 3, options.ImageSize, options.ImageSize);
    }
}
