using GaussQuant.Distributed;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="TokenizePipeline"/> reads and where it writes the tokens.</summary>
public sealed record TokenizeOptions
{
    public required ImageInputOptions Images { get; init; }

    /// <summary>The tokens file (.npy); the manifest goes beside it with the extension .json.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Replace a tokens file or manifest that exists already (without it, an existing one is refused).</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Encode only this shard of the inputs (an array job without MPI): the tokens and manifest then cover its block
    /// of the input list, and <see cref="MergePipeline"/> puts the shards together. Null: every input.
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>The job's ranks, which split the inputs; rank 0 writes the one tokens file and manifest.</summary>
    public ICommunicator Communicator { get; init; } = SingleProcess.Instance;
}
