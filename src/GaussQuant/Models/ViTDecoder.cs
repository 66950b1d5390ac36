using GaussQuant.Nn;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The authors' ViT decoder (<c>pit.modules.vit.TransformerDecoder</c>, spec §1.7): latent [B, L, c] →
/// <c>post_quant_embed</c> + positional embedding → <c>ln_pre</c> → blocks → <c>ln_post</c> → <c>ffn</c> (linear,
/// tanh) → <c>conv_out</c> → patches back into [B, 3, S, S]. No output activation or clamp (the configs'
/// <c>clamp_range</c> belongs to the autoencoder's dequant/forward).
/// </summary>
public sealed class ViTDecoder : DecoderBackbone
{
    // Declared in the authors' registration order, which is their state dict's order.
    [ComponentName(Name = "positional_embedding")]
    private readonly Parameter positions;
    [ComponentName(Name = "ffn")]
    private readonly Sequential feedForward;
    [ComponentName(Name = "conv_out")]
    private readonly Linear patchProjection;
    [ComponentName(Name = "ln_pre")]
    private readonly LayerNorm inputNorm;
    [ComponentName(Name = "transformer")]
    private readonly TransformerStack transformer;
    [ComponentName(Name = "ln_post")]
    private readonly LayerNorm outputNorm;
    [ComponentName(Name = "post_quant_embed")]
    private readonly Linear latentEmbedding;

    public ViTDecoder(ViTOptions options, Device? device = null) : base(nameof(ViTDecoder))
    {
        options.Validate();
        Options = options;
        long hidden = (long)options.Width * options.MlpRatio;
        positions = Patches.PositionalEmbedding(options, device);
        latentEmbedding = nn.Linear(options.LatentChannels, options.Width, device: device);
        inputNorm = nn.LayerNorm(options.Width, ResidualAttentionBlock.LayerNormEpsilon, device: device);
        transformer = new TransformerStack(options.Width, options.Layers, options.Heads, options.MlpRatio, device);
        outputNorm = nn.LayerNorm(options.Width, ResidualAttentionBlock.LayerNormEpsilon, device: device);
        feedForward = nn.Sequential(("0", nn.Linear(options.Width, hidden, device: device)), ("1", nn.Tanh()));
        patchProjection = nn.Linear(hidden, options.PatchValues, device: device);
        RegisterComponents();
    }

    public override ViTOptions Options { get; }

    /// <summary>The last layer's weight (<c>conv_out.weight</c>), for the adaptive GAN weight.</summary>
    public override Parameter LastLayerWeight => patchProjection.weight!;

    public override Tensor forward(Tensor latent)
    {
        if (latent.dim() != 3 || latent.shape[1] != Options.Tokens || latent.shape[2] != Options.LatentChannels)
            throw new ArgumentException(
                $"{nameof(ViTDecoder)} expects a (batch, {Options.Tokens}, {Options.LatentChannels}) latent, got ({string.Join(", ", latent.shape)})", nameof(latent));
        // Inference only, as the UNet's: a training batch is the user's choice.
        if (!is_grad_enabled()) ActivationMemory.Require(Options, latent.shape[0], Options.ImageSize, Options.ImageSize, nameof(ViTDecoder));
        using var scope = NewDisposeScope();
        var tokens = inputNorm.call(latentEmbedding.call(latent).add(positions));
        var patches = patchProjection.call(feedForward.call(outputNorm.call(transformer.call(tokens))));
        return Patches.Join(patches, Options).MoveToOuterDisposeScope();
    }
}
