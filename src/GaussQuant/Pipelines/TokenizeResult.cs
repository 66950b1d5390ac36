using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="TokenizePipeline"/> wrote, and where the time went.</summary>
/// <param name="TokensPath">The int64 [N, n_codebooks, h, w] .npy file.</param>
/// <param name="ManifestPath">The manifest beside it.</param>
/// <param name="Manifest">The manifest's content (inputs in row order, skipped inputs, model, shapes).</param>
/// <param name="EncoderTime">Time spent in the encoder network.</param>
/// <param name="SearchTime">Time spent choosing tokens (the codebook search).</param>
/// <param name="TotalTime">Wall-clock time of the whole run, reading images and writing files included.</param>
public sealed record TokenizeResult(
    string TokensPath,
    string ManifestPath,
    TokenManifest Manifest,
    TimeSpan EncoderTime,
    TimeSpan SearchTime,
    TimeSpan TotalTime);
