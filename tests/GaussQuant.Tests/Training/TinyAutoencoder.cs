using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>
/// The stand-in autoencoder of the loss fixtures (same layers and names as make_loss_fixtures.py): a 16×16 image
/// becomes a 4×8×8 latent and back; <c>decoder.3</c> plays the decoder's last layer.
/// </summary>
internal sealed class TinyAutoencoder : nn.Module
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    public TinyAutoencoder() : base(nameof(TinyAutoencoder))
    {
        encoder = nn.Sequential(nn.Conv2d(3, 8, 3, stride: 2, padding: 1), nn.SiLU(), nn.Conv2d(8, 4, 3, padding: 1));
        decoder = nn.Sequential(nn.Upsample(scale_factor: [2.0, 2.0], mode: UpsampleMode.Nearest),
            nn.Conv2d(4, 8, 3, padding: 1), nn.SiLU(), nn.Conv2d(8, 3, 3, padding: 1));
        RegisterComponents();
    }

    public Parameter LastLayerWeight => ((Conv2d)decoder[3]).weight!;

    /// <summary><c>encoder.2</c>, playing <c>encoder.conv_out</c> for the adaptive VF weight.</summary>
    public Parameter EncoderLastLayerWeight => ((Conv2d)encoder[2]).weight!;

    public Tensor Encode(Tensor images) => encoder.forward(images);

    public Tensor Decode(Tensor latents) => decoder.forward(latents);

    /// <summary>A differentiable stand-in for the quantizer's KL loss: ½·Σ z² / B.</summary>
    public static Tensor LatentPenalty(Tensor latents) => 0.5 * latents.pow(2).sum() / latents.shape[0];
}
