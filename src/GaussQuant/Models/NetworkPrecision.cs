using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>Puts a network's parameters into the format an <see cref="InferencePrecision"/> computes in.</summary>
internal static class NetworkPrecision
{
    public static ScalarType ScalarTypeOf(InferencePrecision precision) =>
        precision == InferencePrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// Converts every parameter and buffer of <paramref name="network"/> to the precision's type, except those of
    /// normalisation layers, which stay float32: LibTorch's CPU GroupNorm and LayerNorm take bf16 inputs with float32
    /// affine parameters and compute mean, variance and the normalisation in float32, rounding only the output. A bf16
    /// mean over 32 768 values (a 64×64 group) would lose the small differences the variance is made of.
    /// </summary>
    public static void Apply(nn.Module network, InferencePrecision precision)
    {
        network.to(ScalarTypeOf(precision));
        if (precision == InferencePrecision.Fp32)
            return;
        foreach (var (_, module) in network.named_modules())
            if (module is GroupNorm or LayerNorm)
                module.to(ScalarType.Float32);
    }
}
