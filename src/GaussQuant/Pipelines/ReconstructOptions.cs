using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="ReconstructPipeline"/> reads, how it reconstructs and where the images go.</summary>
public sealed record ReconstructOptions
{
    public required ImageInputOptions Images { get; init; }

    /// <summary>Folder for the PNGs (created when missing).</summary>
    public required string OutputFolder { get; init; }

    public ReconstructionMode Mode { get; init; } = ReconstructionMode.Vq;

    /// <summary>Seed of the noise in <see cref="ReconstructionMode.Sample"/> mode; null: a fresh draw each run.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Replace images of the same names that exist already (without it, an existing one is refused).</summary>
    public bool Overwrite { get; init; }
}
