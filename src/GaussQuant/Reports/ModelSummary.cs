using GaussQuant.Config;
using GaussQuant.Quantization;
using GaussQuant.Experiments;

namespace GaussQuant.Reports;

/// <summary>
/// What the evaluated tokenizer is, in words, beyond the numbers the JSON report states (K, bits per token and per
/// pixel come from the report itself, so the page cannot disagree with it).
/// </summary>
/// <param name="Backbone">The encoder/decoder architecture, e.g. "UNet: ch 128, ch_mult [1, 2, 4, 4], …".</param>
/// <param name="Quantizer">The quantizer kind and its codebook, e.g. "Gaussian Quant: codebook dimension 16, …".</param>
/// <param name="TokenShape">Tokens of one image: [n_codebooks, h, w].</param>
public sealed record ModelSummary(string Backbone, string Quantizer, IReadOnlyList<int> TokenShape)
{
    public long TokensPerImage => TokenShape.Aggregate(1L, (product, side) => product * side);

    public static ModelSummary From(ModelConfig model, int imageSize)
    {
        var encoder = model.Encoder;
        var quantizer = model.Quantizer;
        int factor = encoder.DownsamplingFactor, side = imageSize / factor;
        return new ModelSummary(
            $"{encoder.Architecture}: {encoder.Summary}, z {encoder.LatentChannels}",
            quantizer is GaussianQuantizerOptions gaussian
                ? $"Gaussian Quant: codebook dimension {gaussian.CodebookDimension}, seed {gaussian.Seed}, β {gaussian.Beta}, " +
                  $"{gaussian.Variant.ToString().ToLowerInvariant()} groups"
                : $"{quantizer.Kind}: {string.Join(", ", quantizer.TokenParameters.Select(pair => $"{pair.Key} {pair.Value}"))}",
            [model.CodebooksPerPosition, side, side]);
    }
}
