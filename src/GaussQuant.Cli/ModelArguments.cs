using System.CommandLine;
using GaussQuant.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Cli;

/// <summary>
/// The options every model command shares: <c>--config C.yaml --ckpt M</c> (both, or neither for the model built into
/// gq), <c>--set key.path=value</c> config overrides, and <c>--device cpu|cuda</c>.
/// </summary>
internal sealed class ModelArguments
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Model config (YAML in the authors' format). Default: the model built into gq.",
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

    public void AddTo(Command command, bool withCheckpoint = true, bool withDevice = true)
    {
        command.Options.Add(Config);
        if (withCheckpoint)
            command.Options.Add(Checkpoint);
        command.Options.Add(Overrides);
        if (withDevice)
            command.Options.Add(Device);
    }

    /// <summary>Loads the model the options name (or the default one) on the chosen device, in eval mode.</summary>
    public TokenizerModel Load(ParseResult parsed)
    {
        var (config, checkpoint) = ModelFiles(parsed);
        return TokenizerModel.Load(config, checkpoint, parsed.GetValue(Overrides), DeviceOf(parsed));
    }

    /// <summary>The config and weights files: both given, or neither (the default model).</summary>
    public (string Config, string Checkpoint) ModelFiles(ParseResult parsed)
    {
        string? config = parsed.GetValue(Config), checkpoint = parsed.GetValue(Checkpoint);
        if (config is null && checkpoint is null)
            return DefaultModel.Files();
        if (config is null || checkpoint is null)
            throw new ArgumentException(config is null
                ? "--ckpt needs --config (the weights alone do not say how to build the model); pass both, or neither for the default model"
                : "--config needs --ckpt; pass both, or neither for the default model");
        return (config, checkpoint);
    }

    /// <summary>The config file given, or the default model's.</summary>
    public string ConfigFile(ParseResult parsed) => parsed.GetValue(Config) ?? DefaultModel.Files().Config;

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
