using GaussQuant.Nn;
using Upsample = GaussQuant.Nn.Upsample;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>The kind a module's own work belongs to in a profile, and that work's flop count.</summary>
internal static class LayerKinds
{
    public static (string Kind, double Flops) Classify(nn.Module module, nn.Module? parent, Tensor input, Tensor output) => module switch
    {
        Conv2d conv => (ConvolutionKind(conv, parent), ConvolutionFlops(conv, output)),
        Linear linear => ("linear", 2.0 * linear.weight!.shape[0] * linear.weight!.shape[1] * output.numel() / output.shape[^1]),
        GroupNorm => ("GroupNorm", 0),
        LayerNorm => ("LayerNorm", 0),
        ResnetBlock => ("SiLU + residual add (ResnetBlock's own)", 0),
        AttnBlock => ("attention QKᵀ·softmax·V + reshapes (AttnBlock's own)", AttentionFlops(input)),
        Upsample => ("nearest ×2 (Upsample's own)", 0),
        Downsample => ("zero pad (Downsample's own)", 0),
        Dropout => ("dropout (identity at inference)", 0),
        _ => ($"{module.GetType().Name}'s own (last SiLU, glue between children)", 0),
    };

    private static string ConvolutionKind(Conv2d conv, nn.Module? parent)
    {
        long kernel = conv.weight!.shape[2];
        string where = parent switch
        {
            Upsample => " (Upsample, at 2× the side)",
            Downsample => " stride 2 (Downsample)",
            AttnBlock => " (attention q, k, v, proj_out)",
            ResnetBlock when kernel == 1 => " (nin_shortcut)",
            ResnetBlock => " (ResnetBlock)",
            _ => " (conv_in, conv_out)",
        };
        return $"conv {kernel}×{kernel}{where}";
    }

    /// <summary>2 · output values · input channels per group · kernel area (bias adds are not counted).</summary>
    private static double ConvolutionFlops(Conv2d conv, Tensor output)
    {
        var weight = conv.weight!.shape;
        return 2.0 * output.numel() * weight[1] * weight[2] * weight[3];
    }

    /// <summary>Scores Q·Kᵀ and the weighted sum P·V over L = H·W positions: 2 · 2 · B · L² · C.</summary>
    private static double AttentionFlops(Tensor input)
    {
        double length = input.shape[2] * input.shape[3];
        return 4.0 * input.shape[0] * length * length * input.shape[1];
    }
}
