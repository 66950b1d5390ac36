using System.Globalization;
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

    /// <summary>The trained K of a Gaussian Quant model whose codebook size was chosen at inference; null otherwise.</summary>
    public static int? TrainedCodebookSizeOf(Quantizer quantizer) =>
        quantizer is GaussianQuantizer { Options: var options } ? options.TrainedCodebookSize : null;

    /// <summary>Fails when the manifest's tokens were made by a quantizer of another kind or shape than <paramref name="quantizer"/>.</summary>
    public static void RequireFits(TokenManifest manifest, string manifestPath, Quantizer quantizer)
    {
        var model = Of(quantizer);
        if (manifest.Quantizer is { } recorded)
        {
            if (OnlyCodebookSizeDiffers(recorded, model))
                throw new InvalidDataException(CodebookSizeMismatch(manifest, manifestPath, recorded.Parameters[SizeParameter], quantizer));
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

    private const string SizeParameter = "size";

    /// <summary>Both Gaussian Quant with the same grouping, dimension and seed: only the codebook size, a choice at inference, differs.</summary>
    private static bool OnlyCodebookSizeDiffers(ManifestQuantizer recorded, ManifestQuantizer model) =>
        recorded.Kind == ManifestQuantizer.GaussianQuantKind && model.Kind == ManifestQuantizer.GaussianQuantKind
        && recorded.Parameters.TryGetValue(SizeParameter, out string? size) && size != model.Parameters[SizeParameter]
        && new ManifestQuantizer(recorded.Kind, new Dictionary<string, string>(recorded.Parameters) { [SizeParameter] = model.Parameters[SizeParameter] })
            .Describes(model);

    private static string CodebookSizeMismatch(TokenManifest manifest, string manifestPath, string tokensSize, Quantizer quantizer)
    {
        var options = ((GaussianQuantizer)quantizer).Options;
        string used = options.TrainedCodebookSize is int trained
            ? $"{options.CodebookSize} (--codebook-size; the model was trained with {trained})"
            : $"the model's trained {options.CodebookSize}";
        string remedy = options.TrainedCodebookSize?.ToString(CultureInfo.InvariantCulture) == tokensSize
            ? "that is the model's trained codebook: decode them without --codebook-size"
            : manifest.TrainedCodebookSize is not null
            ? $"they were encoded with --codebook-size {tokensSize}: decode them with --codebook-size {tokensSize}"
            : $"decode them with the model that made them ({manifest.Config}), or with --codebook-size {tokensSize} if this model made them with it";
        return $"{manifestPath}: the tokens index a Gaussian Quant codebook of {tokensSize} entries, but this decode uses {used}; {remedy}";
    }
}
