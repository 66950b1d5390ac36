using System.Text.RegularExpressions;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using TorchSharp;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>
/// Describes a model (<c>gq info</c>) from its config, its weights file, or both. From a config: parameter counts worked
/// out from the options (<see cref="ModelSize"/>), nothing allocated. From weights alone: the file's metadata and the
/// architecture its tensor shapes imply. With both: whether the weights load into the model.
/// </summary>
public static partial class ModelInspector
{
    private const string FoundationModelPrefix = "foundation_model.";
    private const string LinearProjectionKey = "linear_proj.weight";

    public static ModelInfo Inspect(string? configPath, string? checkpointPath, IEnumerable<string>? overrides = null)
    {
        if (configPath is null && checkpointPath is null)
            throw new ArgumentException("name a config, a weights file, or both");
        var config = configPath is not null ? ExperimentLoader.Load(configPath, overrides)
            : checkpointPath is not null && CarriesConfig(checkpointPath) ? TokenizerModel.ConfigOf(checkpointPath, overrides) : null;
        var model = config is null
            ? null
            : new ModelDescription(config.Source, config.Model.Encoder, config.Model.Decoder, config.Model.Quantizer,
                (long)config.Model.Encoder.EncoderParameters(), (long)config.Model.Decoder.DecoderParameters())
            {
                VisionFoundationModel = config.Model.VisionFoundationModel,
                Alignment = config.Model.Loss?.Alignment,
            };
        if (checkpointPath is null)
            return new ModelInfo(model, null, null, config?.Tree);

        int foundationTensors = 0;
        // Read tensor by tensor: describing a checkpoint needs no more memory than one of its tensors (and the networks, to fit it).
        using var checkpoint = CheckpointLoader.Open(checkpointPath, key =>
        {
            if (key.StartsWith(FoundationModelPrefix, StringComparison.Ordinal)) foundationTensors++;
            return CheckpointLoader.IsInferenceKey(key) || key == LinearProjectionKey;
        });
        var description = Describe(checkpoint) with { FoundationModelTensors = foundationTensors };
        string? problem = config is null ? null : Fit(config.Model, checkpoint, checkpointPath);
        if (problem is null && description.NonFiniteTensors.Count > 0)
            problem = $"{checkpointPath}: {description.NonFiniteTensors.Count} tensors hold NaN or infinite values: {string.Join(", ", description.NonFiniteTensors)}";
        return new ModelInfo(model, description, problem, config?.Tree);
    }

    /// <summary>Null when the weights load into the networks the config builds (within the limits the config passed), else why not.</summary>
    private static string? Fit(ModelConfig config, CheckpointReader checkpoint, string checkpointPath)
    {
        using var encoder = config.Encoder.CreateEncoder();
        using var decoder = config.Decoder.CreateDecoder();
        try
        {
            ModuleWeights.LoadInto(encoder, checkpoint, checkpointPath, "encoder.");
            ModuleWeights.LoadInto(decoder, checkpoint, checkpointPath, "decoder.");
            return null;
        }
        catch (WeightMismatchException mismatch)
        {
            return mismatch.Message;
        }
    }

    private static CheckpointDescription Describe(CheckpointReader checkpoint)
    {
        var tensors = checkpoint.Shapes;
        long Count(string prefix) => tensors.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(pair => pair.Value.Aggregate(1L, (product, side) => product * side));
        long[]? Shape(string key) => tensors.GetValueOrDefault(key);

        int? baseChannels = Shape("encoder.conv_in.weight") is { } input ? (int)input[0] : null;
        var levels = Indices(tensors.Keys, EncoderLevel());
        var multipliers = baseChannels is { } channels && levels.Count > 0 && levels.All(level => Shape($"encoder.down.{level}.block.0.conv1.weight") is not null)
            ? levels.Select(level => (int)(Shape($"encoder.down.{level}.block.0.conv1.weight")![0] / channels)).ToList()
            : null;
        var blocks = Indices(tensors.Keys, EncoderFirstLevelBlock());
        var attention = Indices(tensors.Keys, EncoderAttentionLevel());

        // A ViT's latent projections are linear layers ([out, in]) where the UNet has convolutions.
        int? outputChannels = (Shape("encoder.conv_out.weight") ?? Shape("encoder.quant_embed.weight")) is { } output ? (int)output[0] : null;
        int? latentChannels = (Shape("decoder.conv_in.weight") ?? Shape("decoder.post_quant_embed.weight")) is { } decoderInput ? (int)decoderInput[1] : null;
        var vit = Shape("encoder.positional_embedding") is { Length: 2 } positions && Shape("encoder.conv1.weight") is { Length: 2 } patches
            ? new ImpliedViTShape((int)positions[0], (int)positions[1], (int)Math.Round(Math.Sqrt(patches[1] / 3.0)), Indices(tensors.Keys, ViTBlock()).Count)
            : null;
        bool? doubleLatent = outputChannels is { } produced && latentChannels is { } latent ? produced == 2 * latent : null;
        var nonFinite = tensors.Keys.Where(key => !IsFinite(checkpoint, key)).Order(StringComparer.Ordinal).ToList();
        return new CheckpointDescription(checkpoint.Metadata, Count("encoder."), Count("decoder."), baseChannels, multipliers,
            blocks.Count > 0 ? blocks.Count : null, attention, latentChannels, doubleLatent, nonFinite, vit)
        {
            LinearProjectionShape = Shape(LinearProjectionKey),
        };
    }

    /// <summary>Whether tensor <paramref name="key"/> holds no NaN or infinity (integer tensors always do).</summary>
    private static bool IsFinite(CheckpointReader checkpoint, string key)
    {
        using var scope = NewDisposeScope(); // the tensor and the test's temporaries
        var tensor = checkpoint.Read(key);
        return !tensor.is_floating_point() || tensor.isfinite().all().item<bool>();
    }

    private static List<int> Indices(IEnumerable<string> keys, Regex pattern) =>
        keys.Select(key => pattern.Match(key)).Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Distinct().Order().ToList();

    [GeneratedRegex(@"^encoder\.down\.(\d+)\.")]
    private static partial Regex EncoderLevel();

    [GeneratedRegex(@"^encoder\.down\.0\.block\.(\d+)\.conv1\.weight$")]
    private static partial Regex EncoderFirstLevelBlock();

    [GeneratedRegex(@"^encoder\.down\.(\d+)\.attn\.0\.q\.weight$")]
    private static partial Regex EncoderAttentionLevel();

    [GeneratedRegex(@"^encoder\.transformer\.resblocks\.(\d+)\.")]
    private static partial Regex ViTBlock();

    private static bool CarriesConfig(string checkpointPath)
    {
        using var checkpoint = CheckpointLoader.Open(checkpointPath, _ => false);
        return checkpoint.Metadata.Properties.ContainsKey(ModelFileMetadata.ConfigKey);
    }
}
