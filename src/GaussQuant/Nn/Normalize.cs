using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>The UNet's normalisation layer: GroupNorm with 32 groups, ε = 1e-6 (not PyTorch's 1e-5) and affine parameters.</summary>
public static class Normalize
{
    public const int Groups = 32;

    public const double Epsilon = 1e-6;

    /// <exception cref="ArgumentException">when <paramref name="channels"/> is not a positive multiple of 32.</exception>
    public static GroupNorm Create(long channels, Device? device = null)
    {
        if (channels <= 0 || channels % Groups != 0)
            throw new ArgumentException($"GroupNorm needs a positive multiple of {Groups} channels, got {channels}", nameof(channels));
        var norm = nn.GroupNorm(Groups, channels, Epsilon, affine: true, device: device);
        // TorchSharp 0.107 allocates the affine parameters with torch.empty and never fills them (PyTorch: ones, zeros).
        nn.init.ones_(norm.weight);
        nn.init.zeros_(norm.bias);
        return norm;
    }
}
