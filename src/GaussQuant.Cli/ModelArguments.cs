using System.CommandLine;
using GaussQuant.Config;
using GaussQuant.Models;
using TorchSharp;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Cli;

/// <summary>
/// The options every model command shares: <c>--config C.yaml --ckpt M</c> (both, or neither for the model built into
/// gq), <c>--set key.path=value</c> config overrides, and where the model runs: <c>--device cpu|cuda</c> and
/// <c>--threads N</c>.
/// </summary>
internal sealed class ModelArguments
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Model config (YAML in the authors' format). Default: the config inside the weights file (gq-trained models carry one).",
    };

    public Option<string?> Checkpoint { get; } = new("--ckpt")
    {
        Description = "Weights: Lightning .ckpt, PyTorch state dict or .safetensors. Default: the model built into gq.",
    };

    public Option<string[]> Overrides { get; } = new("--set")
    {
        Description = "Override a config value, key.path=value (repeatable), e.g. --set model.params.regularizer_config.params.beta=1.0.",
        DefaultValueFactory = _ => [],
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "Where the model runs: cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public ThreadsOption Threads { get; } = new();

    public void AddTo(Command command, bool withCheckpoint = true, bool withDevice = true)
    {
        command.Options.Add(Config);
        if (withCheckpoint)
            command.Options.Add(Checkpoint);
        command.Options.Add(Overrides);
        if (!withDevice)
            return;
        command.Options.Add(Device);
        command.Options.Add(Threads);
    }

    /// <summary>
    /// Loads the model the options name (or the default one) on the chosen device, in eval mode, with the codebook size
    /// and precision the command asks for when it has those options; <paramref name="parts"/> are the networks the
    /// command runs.
    /// </summary>
    public TokenizerModel Load(ParseResult parsed, ModelParts parts = ModelParts.All)
    {
        var (config, checkpoint) = ModelFiles(parsed);
        var loaded = TokenizerModel.Load(config, checkpoint, parsed.GetValue(Overrides), DeviceOf(parsed),
            codebookSize: CodebookSizeOption.Requested(parsed), parts: parts);
        PrecisionOption.ApplyRequested(parsed, loaded.Model);
        return loaded;
    }

    /// <summary>
    /// The config and weights files: both given; the weights alone when they carry their config (models trained by
    /// gq do); or neither, for the default model.
    /// </summary>
    public (string? Config, string Checkpoint) ModelFiles(ParseResult parsed)
    {
        string? config = parsed.GetValue(Config), checkpoint = parsed.GetValue(Checkpoint);
        if (checkpoint is null && config is not null)
            throw new ArgumentException("--config needs --ckpt; pass both, --ckpt alone for a model file that carries its config, or neither for the default model");
        return (config, checkpoint ?? DefaultModel.File());
    }

    /// <summary>The config named, or the one inside the weights named (or the default model's).</summary>
    public ExperimentConfig LoadConfig(ParseResult parsed)
    {
        string? config = parsed.GetValue(Config);
        return config is not null
            ? ExperimentLoader.Load(config, parsed.GetValue(Overrides))
            : TokenizerModel.ConfigOf(parsed.GetValue(Checkpoint) ?? DefaultModel.File(), parsed.GetValue(Overrides));
    }

    public Device DeviceOf(ParseResult parsed)
    {
        string text = parsed.GetValue(Device)!;
        if (text == "cpu")
            return CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"--device must be cpu, cuda or cuda:N, not '{text}'");
        if (!cuda.is_available())
            throw new NotSupportedException(
                $"--device {text}: CUDA is not available (this gq runs on TorchSharp-cpu, or no GPU is visible); use --device cpu");
        return torch.device(text);
    }
}
