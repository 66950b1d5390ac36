namespace GaussQuant.Checkpoints;

/// <summary>What a checkpoint says about itself besides its tensors.</summary>
public sealed record CheckpointMetadata
{
    public required string Path { get; init; }

    public required CheckpointFormat Format { get; init; }

    /// <summary>Lightning's <c>epoch</c>, when the file has one.</summary>
    public long? Epoch { get; init; }

    /// <summary>Lightning's <c>global_step</c> (optimizer steps), when the file has one.</summary>
    public long? GlobalStep { get; init; }

    /// <summary>Lightning's <c>pytorch-lightning_version</c>, when the file has one.</summary>
    public string? LightningVersion { get; init; }

    /// <summary>Number of tensors in the state dict, including those the caller chose not to load.</summary>
    public int TensorCount { get; init; }

    /// <summary>Top-level entries of a training checkpoint (<c>state_dict</c>, <c>optimizer_states</c>, …); empty otherwise.</summary>
    public IReadOnlyList<string> TopLevelEntries { get; init; } = [];

    /// <summary>State-dict entries that are not dense tensors (e.g. a module's <c>_extra_state</c>), with what they are; never loaded.</summary>
    public IReadOnlyList<string> SkippedEntries { get; init; } = [];

    /// <summary>The safetensors header's <c>__metadata__</c>; empty for other formats.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
