using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>An encoder network (the authors' <c>encoder</c>): images [B, 3, H, W] → the latent (or its moments) in the backbone's layout.</summary>
public abstract class EncoderBackbone(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract BackboneOptions Options { get; }
}
