using System.Text.Json.Nodes;
using GaussQuant.Distributed;
using GaussQuant.IO;

namespace GaussQuant.Pipelines;

/// <summary>
/// Joins the shards of <c>gq eval --shard i/N</c> into the report one evaluation of every image writes
/// (<see cref="EvaluationShard.Combine"/>): every shard once, all made with the same model, data and options.
/// </summary>
internal static class EvaluationShardMerge
{
    private static readonly EvaluationTimings NoTimings = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static MergeResult Run(MergeOptions options)
    {
        string reportPath = Path.GetFullPath(options.OutputPath);
        if (!reportPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{options.OutputPath}: the merged evaluation report is a .json file");
        var shards = ShardOrder.Check(options.Shards.Select(path => (path, Read(path))).ToList(), shard => shard.Shard, FirstDifference);
        var report = EvaluationShard.Combine(shards.Select(shard => shard.Output).ToList());
        using var claim = OutputClaim.ForFiles(options.Overwrite, "report.json", reportPath);
        report.Write(reportPath);
        claim.Keep();
        return new MergeResult(reportPath, null, shards.Count, report.Images, report.Skipped.Count);
    }

    private static EvaluationShard Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such shard", path);
        return EvaluationShard.FromJson(File.ReadAllBytes(path), path);
    }

    // The shards of one job share every header field but their own image count and timings; the JSON key names the field.
    private static string? FirstDifference(EvaluationShard first, EvaluationShard other)
    {
        static JsonObject Common(EvaluationShard shard) =>
            JsonNode.Parse((shard.Header with { Images = 0, Timings = NoTimings }).ToJson())!.AsObject();
        var (a, b) = (Common(first), Common(other));
        return a.Select(property => property.Key).Concat(b.Select(property => property.Key)).FirstOrDefault(key => !JsonNode.DeepEquals(a[key], b[key]));
    }
}
