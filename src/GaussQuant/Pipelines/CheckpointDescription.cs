using GaussQuant.Checkpoints;

namespace GaussQuant.Pipelines;

/// <summary>
/// What a weights file says about itself, and the UNet or ViT shape its tensor shapes imply (null where they do not say,
/// e.g. a file without encoder weights). Attention levels are the encoder levels with attention blocks;
/// non-finite tensors are the floating-point ones holding NaN or ±∞, by name.
/// </summary>
public sealed record CheckpointDescription(
    CheckpointMetadata Metadata,
    long EncoderParameters,
    long DecoderParameters,
    int? BaseChannels,
    IReadOnlyList<int>? ChannelMultipliers,
    int? ResBlocksPerLevel,
    IReadOnlyList<int> AttentionLevels,
    int? LatentChannels,
    bool? DoubleLatent,
    IReadOnlyList<string> NonFiniteTensors,
    ImpliedViTShape? ViT = null)
{
    /// <summary>Shape of the VF alignment's <c>linear_proj.weight</c> (training only), or null when the file has none.</summary>
    public long[]? LinearProjectionShape { get; init; }

    /// <summary>Tensors of a foundation model saved with the autoencoder (the authors' <c>foundation_model.*</c>; unused at inference).</summary>
    public int FoundationModelTensors { get; init; }
}
