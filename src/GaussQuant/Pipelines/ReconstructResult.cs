using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>The PNGs <see cref="ReconstructPipeline"/> wrote, in input order, and the inputs it left out.</summary>
public sealed record ReconstructResult(string OutputFolder, IReadOnlyList<string> Images, IReadOnlyList<SkippedInput> Skipped, TimeSpan TotalTime);
