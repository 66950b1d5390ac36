namespace GaussQuant.Pipelines;

/// <summary>The PNGs <see cref="DetokenizePipeline"/> wrote, in token row order.</summary>
public sealed record DetokenizeResult(string OutputFolder, IReadOnlyList<string> Images, TimeSpan TotalTime);
