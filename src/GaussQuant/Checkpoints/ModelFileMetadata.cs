namespace GaussQuant.Checkpoints;

/// <summary>
/// Keys GaussQuant writes into the <c>__metadata__</c> of the <c>.safetensors</c> files it trains, so that a model file
/// carries the resolved config it was built from and needs no separate YAML.
/// </summary>
public static class ModelFileMetadata
{
    /// <summary>The resolved config, as YAML in the authors' format.</summary>
    public const string ConfigKey = "gq_config";

    /// <summary>The global step the weights were taken at.</summary>
    public const string StepKey = "global_step";
}
