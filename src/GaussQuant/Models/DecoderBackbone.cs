using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>A decoder network (the authors' <c>decoder</c>): the latent in the backbone's layout → images [B, 3, H, W], not clamped.</summary>
public abstract class DecoderBackbone(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract BackboneOptions Options { get; }

    /// <summary>The last layer's weight: the reference's <c>get_last_layer()</c>, used by the adaptive GAN weight.</summary>
    public abstract Tensor LastLayerWeight { get; }
}
