using GaussQuant.IO;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>
/// Joins the shards of an array job (<c>gq merge</c>) into the files one run over every input writes, byte for byte:
/// tokens shards (<c>gq encode --shard i/N</c>) into one tokens file and manifest, evaluation shards
/// (<c>gq eval --shard i/N</c>) into one report (see <see cref="EvaluationShardMerge"/>). Every shard of the job must be
/// named once, all made with the same model and options; anything else is refused before an output is written. The
/// outputs follow the usual rules: claimed and locked first, written under temporary names, committed at the end.
/// </summary>
public static class MergePipeline
{
    /// <summary>Rows copied per read, so memory stays flat whatever the shards' size.</summary>
    private const int RowsPerCopy = 4096;

    public static MergeResult Run(MergeOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shards.Count == 0)
            throw new ArgumentException("name the shards to merge");
        bool tokens = options.Shards.All(IsTokens);
        if (!tokens && !options.Shards.All(path => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException(
                $"the shards must be all tokens files (.npy, from gq encode --shard) or all evaluation shards (.json, from gq eval --shard): {string.Join(", ", options.Shards)}");
        return tokens ? MergeTokens(options, cancellation) : EvaluationShardMerge.Run(options);
    }

    private static bool IsTokens(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);

    private static MergeResult MergeTokens(MergeOptions options, CancellationToken cancellation)
    {
        string tokensPath = Path.GetFullPath(options.OutputPath);
        if (!IsTokens(tokensPath))
            throw new ArgumentException($"{options.OutputPath}: merged tokens go to a .npy file (its manifest beside it)");
        string manifestPath = TokenManifest.PathBeside(tokensPath);
        var shards = TokenShardAssembly.InOrder(options.Shards.Select(path => (path, ReadShard(path))).ToList());
        var manifest = TokenShardAssembly.Combine(shards[0].Output, shards.Select(shard => TokenShardAssembly.PartOf(shard.Output)).ToList(),
            shards.Select(shard => shard.Name).ToList());
        using var claim = OutputClaim.ForFiles(options.Overwrite, "tokens.npy", tokensPath, manifestPath);
        using var writer = new NpyRowWriter<long>(tokensPath, manifest.LatentShape.Select(side => (long)side).ToArray(), shards[0].Output.Shard!.Total);
        foreach (var (name, shard) in shards)
        {
            using var reader = new NpyRowReader(name);
            for (long row = 0; row < reader.Rows; row += RowsPerCopy)
            {
                cancellation.ThrowIfCancellationRequested();
                writer.Append(reader.ReadRows<long>(row, (int)Math.Min(RowsPerCopy, reader.Rows - row)));
            }
        }
        manifest = TokenPairCommit.Commit(writer, manifest, manifestPath);
        claim.Keep();
        return new MergeResult(tokensPath, manifestPath, shards.Count, manifest.Inputs.Count, manifest.Skipped.Count);
    }

    /// <summary>A shard's manifest, checked against its tokens file: committed together, one row per input, rows of the recorded shape.</summary>
    private static TokenManifest ReadShard(string tokensPath)
    {
        string manifestPath = TokenManifest.PathBeside(tokensPath);
        if (!File.Exists(tokensPath))
            throw new FileNotFoundException($"{tokensPath}: no such shard", tokensPath);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{manifestPath}: the manifest of shard {tokensPath} is missing", manifestPath);
        var manifest = TokenManifest.Read(manifestPath);
        manifest.RequireBelongsTo(tokensPath, manifestPath);
        using var reader = new NpyRowReader(tokensPath);
        if (reader.Rows != manifest.Inputs.Count || !reader.Shape.Skip(1).SequenceEqual(manifest.LatentShape.Select(side => (long)side)))
            throw new InvalidDataException(
                $"{tokensPath} holds [{string.Join(", ", reader.Shape)}], but its manifest lists {manifest.Inputs.Count} inputs of tokens " +
                $"[{string.Join(", ", manifest.LatentShape)}]");
        return manifest;
    }
}
