using System.CommandLine;
using System.Globalization;
using GaussQuant.Checkpoints;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq info M.ckpt | M.safetensors | C.yaml [--config C.yaml]</c>: what a config builds (architecture, parameter
/// counts, codebook, bits per token and per pixel), what a weights file holds, and whether the two fit. Without
/// arguments: the model built into gq.
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new ModelArguments();
        var file = new Argument<string?>("FILE")
        {
            Description = "A config (.yaml/.yml) or a weights file (.ckpt, .pth, .safetensors).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("info", "Describe a model: architecture, parameters, codebook, bits per pixel; a checkpoint's contents.") { file };
        model.AddTo(command, withCheckpoint: false, withDevice: false);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var (config, checkpoint) = Files(parsed.GetValue(file), parsed.GetValue(model.Config));
            var info = ModelInspector.Inspect(config, checkpoint, parsed.GetValue(model.Overrides));
            foreach (string line in Describe(info))
                Console.WriteLine(line);
            return info.WeightsProblem is null && info.Checkpoint is not { NonFiniteTensors.Count: > 0 } ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static (string? Config, string? Checkpoint) Files(string? file, string? config)
    {
        if (file is null)
            return config is null ? (null, DefaultModel.File()) : (config, null);
        bool isConfig = Path.GetExtension(file).ToLowerInvariant() is ".yaml" or ".yml";
        if (isConfig && config is not null)
            throw new ArgumentException($"two configs were named ({file} and --config {config}); name one, and a weights file to check against it");
        return isConfig ? (file, null) : (config, file);
    }

    private static IEnumerable<string> Describe(ModelInfo info)
    {
        if (info.Model is { } model)
        {
            var encoder = model.Encoder;
            yield return $"config: {model.ConfigPath}";
            yield return $"  encoder: ch {encoder.Channels}, ch_mult [{Join(encoder.ChannelMultipliers)}], {encoder.ResBlocksPerLevel} res blocks per level, " +
                         $"attention at resolutions [{Join(encoder.AttentionResolutions)}] of {encoder.Resolution}, z_channels {encoder.LatentChannels}" +
                         (encoder.DoubleLatent ? " (mean and log-variance)" : "");
            yield return $"  decoder: ch {model.Decoder.Channels}, ch_mult [{Join(model.Decoder.ChannelMultipliers)}], " +
                         $"{model.Decoder.ResBlocksPerLevel + 1} res blocks per level, out_ch {model.Decoder.OutChannels}";
            yield return $"  downsampling factor: {model.DownsamplingFactor}";
            yield return $"  parameters: encoder {Count(model.EncoderParameters)}, decoder {Count(model.DecoderParameters)}, total {Count(model.TotalParameters)} " +
                         $"({ResourceLimits.Describe(4.0 * model.TotalParameters)} of float32 weights)";
            yield return $"  quantizer: {model.Quantizer.Kind}" +
                         (model.Quantizer.TokenParameters.Count > 0 ? $" ({string.Join(", ", model.Quantizer.TokenParameters.Select(pair => $"{pair.Key} {pair.Value}"))})" : "");
            if (model.Quantizer is GaussianQuantizerOptions gaussian)
                yield return $"  codebook: K {gaussian.CodebookSize}, d {gaussian.CodebookDimension}, seed {gaussian.Seed}, beta {Number(gaussian.Beta)}, " +
                             $"{gaussian.Variant.ToString().ToLowerInvariant()} groups, {model.CodebooksPerPosition} per position";
            if (model.Tokens is { } tokens)
            {
                yield return $"  tokens: {tokens.PerPosition} per position, {tokens.CodebookSize} values each";
                yield return $"  bits per token: {Number(model.BitsPerToken)}";
                yield return $"  at {model.Resolution}x{model.Resolution}: tokens [{Join(model.TokenShape)}] = {model.TokensPerImage} per image, " +
                             $"{Number(model.TokensPerImage * model.BitsPerToken)} bits, {Number(model.BitsPerPixel)} bits per pixel";
            }
            else
                yield return "  tokens: none (a continuous regularizer: reconstruct --mode mean|sample and eval work, encode and decode do not)";
            double activations = Math.Max(ActivationMemory.Estimate(model.Encoder, 1, model.Resolution, model.Resolution),
                ActivationMemory.Estimate(model.Decoder, 1, model.Resolution, model.Resolution));
            yield return $"  activations at {model.Resolution}x{model.Resolution}: about {ResourceLimits.Describe(activations)} per image (inference)";
        }
        if (info.Checkpoint is { } checkpoint)
        {
            var metadata = checkpoint.Metadata;
            yield return $"checkpoint: {metadata.Path}";
            yield return $"  format: {Format(metadata)}";
            yield return $"  tensors: {metadata.TensorCount}";
            yield return $"  parameters: encoder {Count(checkpoint.EncoderParameters)}, decoder {Count(checkpoint.DecoderParameters)}";
            yield return $"  implied shape: {ImpliedShape(checkpoint)}";
            if (checkpoint.NonFiniteTensors.Count > 0)
                yield return $"  non-finite values (NaN or infinity) in {checkpoint.NonFiniteTensors.Count} tensors: {string.Join(", ", checkpoint.NonFiniteTensors)}";
        }
        if (info.Model is not null && info.Checkpoint is not null)
            yield return info.WeightsProblem is null ? "weights: fit the config" : $"weights: do not fit the config: {info.WeightsProblem}";
    }

    private static string Format(CheckpointMetadata metadata)
    {
        var parts = new List<string>
        {
            metadata.Format switch
            {
                CheckpointFormat.TrainingCheckpoint => "Lightning training checkpoint",
                CheckpointFormat.StateDict => "PyTorch state dict",
                _ => "safetensors",
            },
        };
        if (metadata.LightningVersion is not null) parts.Add($"pytorch-lightning {metadata.LightningVersion}");
        if (metadata.Epoch is not null) parts.Add($"epoch {metadata.Epoch}");
        if (metadata.GlobalStep is not null) parts.Add($"global step {metadata.GlobalStep}");
        parts.AddRange(metadata.Properties.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
        return string.Join(", ", parts);
    }

    private static string ImpliedShape(CheckpointDescription checkpoint)
    {
        var parts = new List<string>();
        if (checkpoint.BaseChannels is { } channels) parts.Add($"ch {channels}");
        if (checkpoint.ChannelMultipliers is { } multipliers)
            parts.Add($"ch_mult [{Join(multipliers)}] (downsampling factor {1 << (multipliers.Count - 1)})");
        if (checkpoint.ResBlocksPerLevel is { } blocks) parts.Add($"{blocks} res blocks per level");
        if (checkpoint.BaseChannels is not null) parts.Add($"attention at levels [{Join(checkpoint.AttentionLevels)}]");
        if (checkpoint.LatentChannels is { } latent) parts.Add($"z_channels {latent}");
        if (checkpoint.DoubleLatent is { } doubled) parts.Add($"double_z {doubled.ToString().ToLowerInvariant()}");
        return parts.Count > 0 ? string.Join(", ", parts) : "unknown (no encoder/decoder weights under the authors' names)";
    }

    private static string Join<T>(IEnumerable<T> values) => string.Join(", ", values);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
