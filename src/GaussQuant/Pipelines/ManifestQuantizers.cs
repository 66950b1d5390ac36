using System.Text.Json;
using GaussQuant.Quantization;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>What a token manifest records about a model's quantizer, and the check that tokens fit a model.</summary>
internal static class ManifestQuantizers
{
    public static ManifestQuantizer Of(Quantizer quantizer) =>
        new(JsonNamingPolicy.SnakeCaseLower.ConvertName(quantizer.Kind.ToString()), quantizer.TokenParameters);

    /// <summary>The Gaussian Quant codebook, for the manifest's <c>codebook</c> entry; null for the other kinds.</summary>
    public static ManifestCodebook? CodebookOf(Quantizer quantizer) => quantizer is GaussianQuantizer { Options: var options }
        ? new ManifestCodebook(options.CodebookDimension, options.CodebookSize, options.Seed, options.Beta)
        : null;

    /// <summary>Fails when the manifest's tokens were made by a quantizer of another kind or shape than <paramref name="quantizer"/>.</summary>
    public static void RequireFits(TokenManifest manifest, string manifestPath, Quantizer quantizer)
    {
        var model = Of(quantizer);
        if (manifest.Quantizer is { } recorded)
        {
            if (!recorded.Describes(model))
                throw new InvalidDataException(
                    $"{manifestPath}: the tokens were made by a {recorded} quantizer, but the model's is {model}; " +
                    $"decode them with the model that made them ({manifest.Config})");
            return;
        }
        // Manifests from before the kind was recorded: Gaussian Quant, described by its codebook alone.
        var codebook = manifest.Codebook!;
        if (quantizer is not GaussianQuantizer { Options: var options }
            || codebook.Size != options.CodebookSize || codebook.Dim != options.CodebookDimension || codebook.Seed != options.Seed)
            throw new InvalidDataException(
                $"{manifestPath}: the tokens index a Gaussian Quant codebook of {codebook.Size} × {codebook.Dim} (seed {codebook.Seed}), but the model's " +
                $"quantizer is {model}; decode them with the model that made them ({manifest.Config})");
    }
}
