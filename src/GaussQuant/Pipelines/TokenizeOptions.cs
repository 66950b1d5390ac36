namespace GaussQuant.Pipelines;

/// <summary>What <see cref="TokenizePipeline"/> reads and where it writes the tokens.</summary>
public sealed record TokenizeOptions
{
    public required ImageInputOptions Images { get; init; }

    /// <summary>The tokens file (.npy); the manifest goes beside it with the extension .json.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Replace a tokens file or manifest that exists already (without it, an existing one is refused).</summary>
    public bool Overwrite { get; init; }
}
