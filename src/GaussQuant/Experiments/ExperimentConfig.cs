using GaussQuant.Config;

namespace GaussQuant.Experiments;

/// <summary>A whole config file in the reference's format, resolved and mapped onto GaussQuant's options.</summary>
public sealed record ExperimentConfig
{
    /// <summary>The file the config was read from.</summary>
    public required string Source { get; init; }

    public required ModelConfig Model { get; init; }

    /// <summary>The <c>data</c> section; null when the config has none (inference-only configs).</summary>
    public DataOptions? Data { get; init; }

    public required TrainerOptions Trainer { get; init; }

    /// <summary>The resolved tree (overrides applied, interpolations replaced), e.g. to save beside a training run.</summary>
    public required ConfigMapping Tree { get; init; }
}
