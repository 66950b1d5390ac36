namespace GaussQuant.Pipelines;

/// <summary>
/// How far a long job has come: <paramref name="Completed"/> of <paramref name="Total"/> items (images, usually) in
/// the named stage (e.g. "encode", "check", "decode"). Reported through <see cref="IProgress{T}"/>; the library never
/// prints.
/// </summary>
public readonly record struct PipelineProgress(string Stage, long Completed, long Total);
