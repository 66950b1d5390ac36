namespace GaussQuant.Tokens;

/// <summary>
/// What one shard of an encoding job adds to the job's manifest: its inputs in row order, the inputs it skipped, and
/// the latent and image shape of its rows (null when none of its inputs could be read, so it has no rows).
/// </summary>
public sealed record TokenShardPart(IReadOnlyList<string> Inputs, IReadOnlyList<SkippedInput> Skipped, IReadOnlyList<int>? LatentShape,
    IReadOnlyList<int>? ImageSize);
