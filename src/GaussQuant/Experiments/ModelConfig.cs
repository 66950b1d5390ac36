using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Quantization;
using GaussQuant.Training;

namespace GaussQuant.Experiments;

/// <summary>The autoencoder a config describes (<c>model</c>: <c>pit.models.autoencoder.AutoencodingEngine</c>).</summary>
public sealed record ModelConfig
{
    /// <summary>Adam learning rate (<c>base_learning_rate</c>; the reference does not scale it by batch size).</summary>
    public required double BaseLearningRate { get; init; }

    /// <summary>The encoder backbone (<c>encoder_config</c>: UNet or ViT).</summary>
    public required BackboneOptions Encoder { get; init; }

    /// <summary>The decoder backbone (<c>decoder_config</c>), of the encoder's kind.</summary>
    public required BackboneOptions Decoder { get; init; }

    public required QuantizerOptions Quantizer { get; init; }

    /// <summary>The training objective; null for configs that only describe an inference model.</summary>
    public AutoencoderLossOptions? Loss { get; init; }

    /// <summary>
    /// Range decoded images are clamped to (<c>clamp_range</c>) where the authors clamp: <c>dequant</c> (gq decode) and
    /// <c>forward</c> (gq reconstruct, the training pass), not <c>decode</c> (gq eval, as eval.py); null: no clamp.
    /// </summary>
    public (double Min, double Max)? OutputClampRange { get; init; }

    /// <summary>Autoencoder learning rate = base rate × this (<c>lr_g_factor</c>).</summary>
    public double GeneratorLearningRateFactor { get; init; } = 1.0;

    /// <summary>Until this global step every batch updates the autoencoder; after it batches alternate with the discriminator (<c>disc_start_iter</c>).</summary>
    public long DiscriminatorStartIteration { get; init; }

    /// <summary>Frozen foundation model whose features the latent is aligned to in training (<c>use_vf</c>: dinov2), or null.</summary>
    public string? VisionFoundationModel { get; init; }

    /// <summary>VF alignment projects the latent up to the foundation features (<c>reverse_proj</c>).</summary>
    public bool ReverseProjection { get; init; }

    /// <summary>GaussQuant's own key (not the authors'; <c>gq train --vf-weights</c> sets it): the foundation model's weights file.</summary>
    public const string VisionFoundationWeightsKey = "foundation_model_weights";

    /// <summary>
    /// The DINOv2 weights VF training loads (<see cref="VisionFoundationWeightsKey"/>): timm's
    /// <c>vit_large_patch14_dinov2.lvd142m</c> or Hugging Face's <c>facebook/dinov2-large</c>; unused at inference.
    /// </summary>
    public string? VisionFoundationWeights { get; init; }

    /// <summary>The tokens the model makes; null for a continuous regularizer (identity, Gaussian KL).</summary>
    public TokenFormat? Tokens => Quantizer.TokensFor(Encoder.LatentChannels);

    /// <summary>Tokens per latent position; 0 for a continuous regularizer.</summary>
    public int CodebooksPerPosition => Tokens?.PerPosition ?? 0;
}
