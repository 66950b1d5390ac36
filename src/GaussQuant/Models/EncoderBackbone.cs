using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>An encoder network (the authors' <c>encoder</c>): images [B, 3, H, W] → the latent (or its moments) in the backbone's layout.</summary>
public abstract class EncoderBackbone(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract BackboneOptions Options { get; }

    /// <summary>
    /// The weight of the layer that makes the latent (UNet: <c>conv_out.weight</c>), where VF alignment balances its
    /// gradient against the reconstruction's (the reference's <c>enc_last_layer</c>).
    /// </summary>
    public abstract Tensor LastLayerWeight { get; }
}
