using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Pre-activation residual block: GroupNorm → SiLU → 3×3 conv, twice (dropout before the second conv), plus a
/// 1×1 <c>nin_shortcut</c> on the skip path when the channel count changes. Shape (B, in, H, W) → (B, out, H, W).
/// </summary>
public sealed class ResnetBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly GroupNorm norm1;
    [ComponentName(Name = "conv1")]
    private readonly Conv2d conv1;
    [ComponentName(Name = "norm2")]
    private readonly GroupNorm norm2;
    [ComponentName(Name = "dropout")]
    private readonly Dropout dropout;
    [ComponentName(Name = "conv2")]
    private readonly Conv2d conv2;
    [ComponentName(Name = "nin_shortcut")]
    private readonly Conv2d? shortcut;

    public ResnetBlock(long inChannels, long outChannels, double dropout = 0.0, Device? device = null) : base(nameof(ResnetBlock))
    {
        norm1 = Normalize.Create(inChannels, device);
        conv1 = nn.Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1, device: device);
        norm2 = Normalize.Create(outChannels, device);
        this.dropout = nn.Dropout(dropout);
        conv2 = nn.Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, device: device);
        if (inChannels != outChannels) shortcut = nn.Conv2d(inChannels, outChannels, kernel_size: 1, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Maps are freed as soon as the next exists (FeatureMapChain), so at most three of the block's width live at once.
        var hidden = FeatureMapChain.Activate(norm1.call(input), input);
        hidden = FeatureMapChain.Advance(hidden, conv1.call(hidden), input);
        hidden = FeatureMapChain.Advance(hidden, FeatureMapChain.Activate(norm2.call(hidden), input), input);
        hidden = FeatureMapChain.Advance(hidden, dropout.call(hidden), input);
        hidden = FeatureMapChain.Advance(hidden, conv2.call(hidden), input);
        var skip = shortcut is null ? input : shortcut.call(input);
        // Without autograd the sum goes into conv2's fresh map (x + y and y + x are the same float), saving one map.
        return scope.MoveToOuter(is_grad_enabled() ? skip + hidden : hidden.add_(skip));
    }
}
