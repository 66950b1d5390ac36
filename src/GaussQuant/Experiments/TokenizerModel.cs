using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Experiments;

/// <summary>
/// A ready-to-use tokenizer: the config, the autoencoder built from it with its weights loaded, in eval mode, and
/// where both came from (for manifests and reports).
/// </summary>
public sealed class TokenizerModel : IDisposable
{
    private TokenizerModel(ExperimentConfig config, Autoencoder model, string checkpointPath)
    {
        Config = config;
        Model = model;
        CheckpointPath = checkpointPath;
    }

    public ExperimentConfig Config { get; }

    public Autoencoder Model { get; }

    public string ConfigPath => Config.Source;

    public string CheckpointPath { get; }

    /// <summary>
    /// Reads the config (with <c>key=value</c> overrides), builds the model on <paramref name="device"/> and loads the
    /// encoder/decoder weights from a Lightning <c>.ckpt</c>, a bare state dict or a <c>.safetensors</c> file. Every
    /// missing or mis-shaped key is reported at once, naming the checkpoint. Without <paramref name="configPath"/>, the
    /// config stored in the checkpoint by <c>gq train</c> (<see cref="ModelFileMetadata.ConfigKey"/>) is used.
    /// <paramref name="codebookSize"/> replaces a Gaussian Quant model's trained K by a K' chosen at inference
    /// (<see cref="ModelConfig.WithInferenceCodebookSize"/>); null keeps the trained codebook. <paramref name="parts"/>
    /// leaves out the network a job does not run (the decoder when tokenizing, the encoder when decoding tokens): its
    /// weights are then neither read nor checked.
    /// </summary>
    public static TokenizerModel Load(string? configPath, string checkpointPath, IEnumerable<string>? overrides = null,
        Device? device = null, CodebookSearchOptions? searchOptions = null, int? codebookSize = null,
        ModelParts parts = ModelParts.All)
    {
        // Opened, not loaded: the weights go into the model tensor by tensor, so loading peaks at the model's size.
        using var checkpoint = CheckpointLoader.Open(checkpointPath, key => CheckpointLoader.IsInferenceKey(key) && Holds(parts, key));
        var config = ResolveConfig(configPath, checkpoint.Metadata, overrides);
        if (codebookSize is int size)
            config = config with { Model = config.Model.WithInferenceCodebookSize(size) };
        var model = ModelFactory.Create(config.Model, device, searchOptions, parts);
        try
        {
            ModuleWeights.LoadInto(model, checkpoint, checkpointPath);
            model.Quantizer.CheckLoaded(checkpointPath);
            model.eval();
            return new TokenizerModel(config, model, checkpointPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model built into GaussQuant (<see cref="BuiltInModel"/>: 64×64 images, one 12-bit token per 4×4 pixels), with
    /// the config it carries.
    /// </summary>
    /// <exception cref="InvalidOperationException">when this build has no built-in model.</exception>
    public static TokenizerModel LoadBuiltIn(Device? device = null, CodebookSearchOptions? searchOptions = null) =>
        Load(configPath: null, BuiltInModel.File(), overrides: null, device, searchOptions);

    /// <summary>
    /// The config at <paramref name="configPath"/>, or, without one, the config a GaussQuant model file carries
    /// (<see cref="ModelFileMetadata.ConfigKey"/>).
    /// </summary>
    public static ExperimentConfig ResolveConfig(string? configPath, CheckpointMetadata checkpoint, IEnumerable<string>? overrides = null)
    {
        if (configPath is not null)
            return ExperimentLoader.Load(configPath, overrides);
        string path = checkpoint.Path;
        return checkpoint.Properties.TryGetValue(ModelFileMetadata.ConfigKey, out string? embedded)
            ? ExperimentLoader.LoadText(embedded, $"{path} (embedded config)", overrides)
            : throw new ArgumentException($"{path} carries no config of its own; pass the model's config (--config C.yaml)");
    }

    /// <summary>The config a GaussQuant model file carries, read without reading its tensors.</summary>
    public static ExperimentConfig ConfigOf(string checkpointPath, IEnumerable<string>? overrides = null)
    {
        using var checkpoint = CheckpointLoader.Open(checkpointPath, _ => false);
        return ResolveConfig(null, checkpoint.Metadata, overrides);
    }

    public void Dispose() => Model.Dispose();

    /// <summary>Whether a state-dict key belongs to the parts loaded (the quantizer's keys always do).</summary>
    private static bool Holds(ModelParts parts, string key) =>
        key.StartsWith("encoder.", StringComparison.Ordinal) ? parts.HasFlag(ModelParts.Encoder)
        : !key.StartsWith("decoder.", StringComparison.Ordinal) || parts.HasFlag(ModelParts.Decoder);
}
