namespace GaussQuant.Pipelines;

/// <summary>What <see cref="DetokenizePipeline"/> decodes and where the images go.</summary>
public sealed record DetokenizeOptions
{
    /// <summary>An int64 .npy file [N, n_codebooks, h, w], with its manifest (.json) beside it when there is one.</summary>
    public required string TokensPath { get; init; }

    /// <summary>Folder for the PNGs (created when missing).</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Images per decoder call; null: as many as fit the memory budget at the image size (<see cref="DefaultBatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Replace images of the same names that exist already (without it, an existing one is refused).</summary>
    public bool Overwrite { get; init; }
}
