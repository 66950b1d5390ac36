namespace GaussQuant.Pipelines;

/// <summary>What <see cref="DetokenizePipeline"/> decodes and where the images go.</summary>
public sealed record DetokenizeOptions
{
    /// <summary>An int64 .npy file [N, n_codebooks, h, w], with its manifest (.json) beside it when there is one.</summary>
    public required string TokensPath { get; init; }

    /// <summary>Folder for the PNGs (created when missing).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Images per decoder call.</summary>
    public int BatchSize { get; init; } = 16;
}
