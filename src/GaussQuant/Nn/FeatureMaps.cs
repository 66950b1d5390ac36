using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>Checks on (B, C, H, W) inputs, so a wrong shape fails with a message instead of a native error deep inside.</summary>
internal static class FeatureMaps
{
    /// <exception cref="ArgumentException">when the input is not 4-D with <paramref name="channels"/> channels and sides ≥ <paramref name="minimumSide"/>.</exception>
    public static void Require(Tensor input, long channels, long minimumSide, string consumer)
    {
        if (input.dim() != 4 || input.shape[1] != channels)
            throw new ArgumentException(
                $"{consumer} expects a (batch, {channels}, height, width) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        if (input.shape[2] < minimumSide || input.shape[3] < minimumSide)
            throw new ArgumentException(
                $"{consumer} needs height and width of at least {minimumSide}, got {input.shape[2]}×{input.shape[3]}", nameof(input));
    }
}
