using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Models;

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
    /// missing or mis-shaped key is reported at once, naming the checkpoint.
    /// </summary>
    public static TokenizerModel Load(string configPath, string checkpointPath, IEnumerable<string>? overrides = null,
        Device? device = null, CodebookSearchOptions? searchOptions = null)
    {
        var config = ConfigLoader.Load(configPath, overrides);
        var model = ModelFactory.Create(config.Model, device, searchOptions);
        try
        {
            using var checkpoint = CheckpointLoader.Load(checkpointPath, CheckpointLoader.IsInferenceKey);
            ModuleWeights.LoadInto(model, checkpoint.Tensors, checkpointPath);
            model.eval();
            return new TokenizerModel(config, model, checkpointPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose() => Model.Dispose();
}
