namespace GaussQuant.Pipelines;

/// <summary>What <see cref="MergePipeline"/> wrote.</summary>
/// <param name="OutputPath">The tokens file or the evaluation report.</param>
/// <param name="ManifestPath">The tokens' manifest; null for a report.</param>
/// <param name="Shards">How many shards were joined.</param>
/// <param name="Images">The images the output covers (skipped ones not counted).</param>
/// <param name="Skipped">Inputs the shards skipped.</param>
public sealed record MergeResult(string OutputPath, string? ManifestPath, int Shards, int Images, int Skipped);
