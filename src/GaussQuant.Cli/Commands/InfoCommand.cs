using System.CommandLine;
using System.Globalization;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq info M.ckpt | M.safetensors | C.yaml [--config C.yaml] [--config-out FILE]</c>: what a config builds
/// (architecture, parameter counts, codebook, bits per token and per pixel), what a weights file holds, and whether the
/// two fit; <c>--config-out</c> writes the config described as YAML. Without arguments: the model built into gq.
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
        var configOut = new Option<FileInfo?>("--config-out")
        {
            HelpName = "FILE",
            Description = "Also write the config described (the one a model file carries, or the YAML named, with --set applied) to FILE.",
        };
        var command = new Command("info", "Describe a model: architecture, parameters, codebook, bits per pixel; a checkpoint's contents.") { file, configOut };
        model.AddTo(command, withCheckpoint: false, withDevice: false);
        var outputs = new OutputArguments();
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var (config, checkpoint) = Files(parsed.GetValue(file), parsed.GetValue(model.Config));
            var target = parsed.GetValue(configOut);
            using var configClaim = target is null ? null : OutputClaim.ForFiles(outputs.OverwriteOf(parsed), "config.yaml", target.FullName);
            var info = ModelInspector.Inspect(config, checkpoint, parsed.GetValue(model.Overrides));
            foreach (string line in Describe(info))
                Console.WriteLine(line);
            if (configClaim is not null)
            {
                ConfigYamlWriter.Write(target!.FullName, info.Config
                    ?? throw new ArgumentException("--config-out: there is no config to write; this weights file carries none, so name one with --config"));
                configClaim.Keep();
                Console.WriteLine($"wrote the config to {target.FullName}");
            }
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
            yield return $"config: {model.ConfigPath}";
            foreach (string line in Backbone(model.Encoder, model.Decoder))
                yield return line;
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
            if (model.VisionFoundationModel is { } foundation)
                yield return model.Alignment is { } vf
                    ? $"  VF alignment (training only): {foundation}, linear_proj {(vf.ReverseProjection ? "latent → features (reverse_proj, no bias)" : "features → latent (with bias)")}, " +
                      $"vf_weight {Number(vf.Weight)} {(vf.Adaptive ? "adaptive" : "fixed")}, distmat margin {Number(vf.DistanceMatrixMargin)} weight {Number(vf.DistanceMatrixWeight)}, " +
                      $"cos margin {Number(vf.CosineMargin)} weight {Number(vf.CosineWeight)}"
                    : $"  VF alignment (training only): {foundation} (the config has no loss settings)";
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
            if (checkpoint.LinearProjectionShape is not null || checkpoint.FoundationModelTensors > 0)
                yield return "  VF alignment (ignored at inference): " + string.Join(", ", new[]
                {
                    checkpoint.LinearProjectionShape is { } shape ? $"linear_proj.weight [{Join(shape)}]" : null,
                    checkpoint.FoundationModelTensors > 0 ? $"{checkpoint.FoundationModelTensors} foundation_model.* tensors" : null,
                }.OfType<string>());
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
        parts.AddRange(metadata.Properties.Where(pair => pair.Key != ModelFileMetadata.ConfigKey)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
        if (metadata.Properties.TryGetValue(ModelFileMetadata.ConfigKey, out string? embedded))
            parts.Add($"embedded config ({embedded.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} lines; --config-out FILE writes it)");
        return string.Join(", ", parts);
    }

    private static IEnumerable<string> Backbone(BackboneOptions encoder, BackboneOptions decoder)
    {
        string latent = $"z_channels {encoder.LatentChannels}" + (encoder.DoubleLatent ? " (mean and log-variance)" : "");
        if (encoder is UNetOptions unet && decoder is UNetOptions unetDecoder)
        {
            yield return $"  backbone: UNet encoder and decoder, {unet.ChannelMultipliers.Count} levels, downsampling factor {unet.DownsamplingFactor}";
            yield return $"  encoder: ch {unet.Channels}, ch_mult [{Join(unet.ChannelMultipliers)}], {Blocks(unet.ResBlocksPerLevel)} per level, " +
                         $"{Attention(unet)}, {latent}";
            // The authors' decoder runs one block more per level than num_res_blocks says.
            yield return $"  decoder: ch {unetDecoder.Channels}, ch_mult [{Join(unetDecoder.ChannelMultipliers)}], " +
                         $"{Blocks(unetDecoder.ResBlocksPerLevel + 1)} per level, {Attention(unetDecoder)}, out_ch {unetDecoder.OutChannels}";
            yield break;
        }
        yield return $"  backbone: {encoder.Architecture} encoder and decoder, downsampling factor {encoder.DownsamplingFactor}, " +
                     $"{encoder.Layout.ToString().ToLowerInvariant()} latent";
        yield return $"  encoder: {encoder.Summary}, {latent}";
        yield return $"  decoder: {decoder.Summary}";
        if (encoder.FixedImageSize is int side)
            yield return $"  image size: {side}x{side} only (fixed positional embedding; --size and --no-resize must match it)";
    }

    private static string Blocks(int count) => count == 1 ? "1 res block" : $"{count} res blocks";

    /// <summary>Where a UNet attends, by level (0 = full resolution) as the weights name them, with each level's side.</summary>
    private static string Attention(UNetOptions unet)
    {
        var levels = Enumerable.Range(0, unet.ChannelMultipliers.Count).Where(level => unet.HasAttentionAt(unet.Resolution >> level)).ToList();
        return levels.Count == 0
            ? AttentionAt(levels)
            : $"{AttentionAt(levels)} ({string.Join(", ", levels.Select(level => $"{unet.Resolution >> level}x{unet.Resolution >> level}"))} of {unet.Resolution}x{unet.Resolution})";
    }

    private static string AttentionAt(IReadOnlyList<int> levels) => levels.Count == 0 ? "no attention" : $"attention at levels [{Join(levels)}]";

    private static string ImpliedShape(CheckpointDescription checkpoint)
    {
        var parts = new List<string>();
        if (checkpoint.ViT is { } vit)
            parts.Add($"ViT, {vit.GridSide}x{vit.GridSide} patches of {vit.PatchSize} ({vit.ImageSize}x{vit.ImageSize} images), width {vit.Width}, {vit.Layers} layers");
        if (checkpoint.BaseChannels is { } channels) parts.Add($"ch {channels}");
        if (checkpoint.ChannelMultipliers is { } multipliers)
            parts.Add($"ch_mult [{Join(multipliers)}] (downsampling factor {1 << (multipliers.Count - 1)})");
        if (checkpoint.ResBlocksPerLevel is { } blocks) parts.Add($"{Blocks(blocks)} per level");
        if (checkpoint.BaseChannels is not null) parts.Add(AttentionAt(checkpoint.AttentionLevels));
        if (checkpoint.LatentChannels is { } latent) parts.Add($"z_channels {latent}");
        if (checkpoint.DoubleLatent is { } doubled) parts.Add($"double_z {doubled.ToString().ToLowerInvariant()}");
        return parts.Count > 0 ? string.Join(", ", parts) : "unknown (no encoder/decoder weights under the authors' names)";
    }

    private static string Join<T>(IEnumerable<T> values) => string.Join(", ", values);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
