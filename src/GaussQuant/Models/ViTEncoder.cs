using GaussQuant.Nn;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Models;

/// <summary>
/// The authors' ViT encoder (<c>pit.modules.vit.TransformerEncoder</c>, spec §1.7): image [B, 3, S, S] → patches
/// [B, L, 3p²] (token hh·(S/p) + ww, value c·p² + sh·p + sw) → <c>conv1</c> (no bias) + positional embedding →
/// <c>ln_pre</c> → blocks → <c>ln_post</c> → <c>quant_embed</c>: moments [B, L, 2c] (the <c>blc</c> layout; mean
/// first). Only S × S images fit its fixed positional embedding.
/// </summary>
public sealed class ViTEncoder : EncoderBackbone
{
    [ComponentName(Name = "positional_embedding")]
    private readonly Parameter positions;
    [ComponentName(Name = "conv1")]
    private readonly Linear patchEmbedding;
    [ComponentName(Name = "ln_pre")]
    private readonly LayerNorm inputNorm;
    [ComponentName(Name = "transformer")]
    private readonly TransformerStack transformer;
    [ComponentName(Name = "ln_post")]
    private readonly LayerNorm outputNorm;
    [ComponentName(Name = "quant_embed")]
    private readonly Linear latentProjection;

    public ViTEncoder(ViTOptions options, Device? device = null) : base(nameof(ViTEncoder))
    {
        options.Validate();
        Options = options;
        positions = Patches.PositionalEmbedding(options, device);
        patchEmbedding = nn.Linear(options.PatchValues, options.Width, hasBias: false, device: device);
        inputNorm = nn.LayerNorm(options.Width, ResidualAttentionBlock.LayerNormEpsilon, device: device);
        transformer = new TransformerStack(options.Width, options.Layers, options.Heads, options.MlpRatio, device);
        outputNorm = nn.LayerNorm(options.Width, ResidualAttentionBlock.LayerNormEpsilon, device: device);
        latentProjection = nn.Linear(options.Width, options.DoubleLatent ? 2L * options.LatentChannels : options.LatentChannels, device: device);
        RegisterComponents();
    }

    public override ViTOptions Options { get; }

    /// <summary><c>quant_embed.weight</c>, the layer that makes the moments.</summary>
    public override Parameter LastLayerWeight => latentProjection.weight!;

    public override Tensor forward(Tensor images)
    {
        // Inference only, as the UNet's: a training batch is the user's choice.
        if (!is_grad_enabled()) ActivationMemory.Require(Options, images.shape[0], Options.ImageSize, Options.ImageSize, nameof(ViTEncoder));
        using var scope = NewDisposeScope();
        var tokens = inputNorm.call(patchEmbedding.call(Patches.Split(images, Options)).add(positions));
        return latentProjection.call(outputNorm.call(transformer.call(tokens))).MoveToOuterDisposeScope();
    }
}
