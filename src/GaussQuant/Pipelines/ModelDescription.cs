using GaussQuant.Models;
using GaussQuant.Quantization;

namespace GaussQuant.Pipelines;

/// <summary>What a config builds: the networks' shape and size, the codebook, and what a token costs at the config's resolution.</summary>
public sealed record ModelDescription(
    string ConfigPath,
    UNetOptions Encoder,
    UNetOptions Decoder,
    GaussianQuantizerOptions Quantizer,
    long EncoderParameters,
    long DecoderParameters)
{
    public long TotalParameters => EncoderParameters + DecoderParameters;

    /// <summary>f: image side / latent side.</summary>
    public int DownsamplingFactor => Encoder.DownsamplingFactor;

    /// <summary>n: tokens per latent position (latent channels / codebook dimension).</summary>
    public int CodebooksPerPosition => Encoder.LatentChannels / Quantizer.CodebookDimension;

    /// <summary>log2 K.</summary>
    public int BitsPerToken => Quantizer.BitsPerToken;

    /// <summary>The square image side the config is made for (the encoder's <c>resolution</c>).</summary>
    public int Resolution => Encoder.Resolution;

    /// <summary>Tokens of one image at <see cref="Resolution"/>: [n, h, w].</summary>
    public IReadOnlyList<int> TokenShape => [CodebooksPerPosition, Resolution / DownsamplingFactor, Resolution / DownsamplingFactor];

    public long TokensPerImage => TokenShape.Aggregate(1L, (product, side) => product * side);

    public double BitsPerPixel => (double)TokensPerImage * BitsPerToken / ((long)Resolution * Resolution);
}
