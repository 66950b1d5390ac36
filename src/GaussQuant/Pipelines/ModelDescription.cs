using GaussQuant.Models;
using GaussQuant.Quantization;

namespace GaussQuant.Pipelines;

/// <summary>What a config builds: the networks' shape and size, the codebook, and what a token costs at the config's resolution.</summary>
public sealed record ModelDescription(
    string ConfigPath,
    BackboneOptions Encoder,
    BackboneOptions Decoder,
    QuantizerOptions Quantizer,
    long EncoderParameters,
    long DecoderParameters)
{
    /// <summary>The foundation model the latent was aligned to in training (<c>use_vf</c>), or null.</summary>
    public string? VisionFoundationModel { get; init; }

    /// <summary>The VF-alignment settings of the training loss; null without <c>use_vf</c> or without a loss config.</summary>
    public Training.VfAlignmentOptions? Alignment { get; init; }

    public long TotalParameters => EncoderParameters + DecoderParameters;

    /// <summary>f: image side / latent side.</summary>
    public int DownsamplingFactor => Encoder.DownsamplingFactor;

    /// <summary>The tokens the model makes; null for a continuous regularizer.</summary>
    public TokenFormat? Tokens => Quantizer.TokensFor(Encoder.LatentChannels);

    /// <summary>n: tokens per latent position; 0 without tokens.</summary>
    public int CodebooksPerPosition => Tokens?.PerPosition ?? 0;

    /// <summary>log2 of the codebook size; 0 without tokens.</summary>
    public double BitsPerToken => Tokens?.BitsPerToken ?? 0;

    /// <summary>The square image side the config is made for (the UNet's <c>resolution</c>, the ViT's <c>image_size</c>).</summary>
    public int Resolution => Encoder.NominalImageSize;

    /// <summary>Tokens of one image at <see cref="Resolution"/>: [n, h, w].</summary>
    public IReadOnlyList<int> TokenShape => [CodebooksPerPosition, Resolution / DownsamplingFactor, Resolution / DownsamplingFactor];

    public long TokensPerImage => TokenShape.Aggregate(1L, (product, side) => product * side);

    public double BitsPerPixel => (double)TokensPerImage * BitsPerToken / ((long)Resolution * Resolution);
}
