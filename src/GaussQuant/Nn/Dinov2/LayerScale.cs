using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>timm's <c>LayerScale</c>: x · gamma, one learned factor per channel (tokens [B, L, E]).</summary>
public sealed class LayerScale : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gamma")]
    private readonly Parameter gamma;

    public LayerScale(int width, Device? device = null) : base(nameof(LayerScale))
    {
        gamma = new Parameter(ones(width, device: device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens) => tokens.mul(gamma);
}
