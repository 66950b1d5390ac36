namespace GaussQuant.Pipelines;

/// <summary>The answer of <see cref="ModelInspector.Inspect"/>: what the config builds, what the weights file holds, and whether they fit.</summary>
/// <param name="Model">From the config; null when only a weights file was given.</param>
/// <param name="Checkpoint">From the weights file; null when only a config was given.</param>
/// <param name="WeightsProblem">With both: null when the weights fit the model, else why not.</param>
/// <param name="Config">The config described, resolved (overrides applied); null without a config.</param>
public sealed record ModelInfo(ModelDescription? Model, CheckpointDescription? Checkpoint, string? WeightsProblem, Config.ConfigMapping? Config = null);
