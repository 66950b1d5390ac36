namespace GaussQuant.Pipelines;

/// <summary>The PNGs <see cref="DetokenizePipeline"/> wrote, in token row order.</summary>
/// <param name="ManifestPath">The manifest that tied the tokens to the model; null when there was none beside the tokens,
/// so only their range and codebook count could be checked (any h × w decodes, to images f times that size).</param>
/// <param name="TokenShape">Tokens per image, [n_codebooks, h, w].</param>
/// <param name="ImageSize">Height and width of the decoded images.</param>
public sealed record DetokenizeResult(string OutputFolder, IReadOnlyList<string> Images, TimeSpan TotalTime, string? ManifestPath,
    IReadOnlyList<long> TokenShape, IReadOnlyList<long> ImageSize);
