namespace GaussQuant.Pipelines;

/// <summary>Joins evaluation shards (<c>gq eval --shard i/N</c>) into one report.</summary>
internal static class EvaluationShardMerge
{
    public static MergeResult Run(MergeOptions options) => throw new NotSupportedException("evaluation shards: not yet");
}
