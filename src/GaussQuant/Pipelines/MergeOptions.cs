namespace GaussQuant.Pipelines;

/// <summary>What <see cref="MergePipeline"/> joins (<c>gq merge SHARD... -o OUT</c>).</summary>
public sealed record MergeOptions
{
    /// <summary>
    /// The shards: every tokens file (.npy, its manifest beside it) of one <c>gq encode --shard i/N</c> job, or every
    /// partial statistics file (.json) of one <c>gq eval --shard i/N</c> job, in any order.
    /// </summary>
    public required IReadOnlyList<string> Shards { get; init; }

    /// <summary>The tokens file (manifest beside it) or the evaluation report to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Replace an output that exists already.</summary>
    public bool Overwrite { get; init; }
}
