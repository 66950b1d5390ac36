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
    /// Converts the parameters of <paramref name="network"/>'s layers to the precision's type, except those of
    /// normalisation layers, which stay float32: LibTorch's CPU GroupNorm and LayerNorm take bf16 inputs with float32
    /// affine parameters and compute mean, variance and the normalisation in float32, rounding only the output. A bf16
    /// mean over 32 768 values (a 64×64 group) would lose the small differences the variance is made of. Each layer
    /// that holds parameters is converted on its own: TorchSharp's <c>Module.to</c> on a whole backbone trips over the
    /// backbones' two <c>Options</c> members.
    /// </summary>
    /// <exception cref="NotSupportedException">for bf16, when the network holds parameters of its own (the ViT's positional embedding), which only a whole-module conversion reaches.</exception>
    public static void Apply(nn.Module network, InferencePrecision precision)
    {
        bool holdsOwn = network.named_parameters(recurse: false).Any();
        if (precision == InferencePrecision.Bf16 && holdsOwn && network.named_children().Any())
            throw new NotSupportedException(
                $"bf16 inference is available for the UNet backbone; {network.GetType().Name} holds parameters of its own (use --precision fp32)");
        // named_modules() leaves out the network itself, which is a layer of its own when it is a single convolution.
        var layers = network.named_modules().Select(named => named.module).Prepend(network)
            .Where(module => module.named_parameters(recurse: false).Any() || module.named_buffers(recurse: false).Any());
        foreach (var layer in layers)
        {
            var type = layer is GroupNorm or LayerNorm ? ScalarType.Float32 : ScalarTypeOf(precision);
            if (layer.parameters().Any(parameter => parameter.dtype != type))
                layer.to(type);
        }
    }
}
