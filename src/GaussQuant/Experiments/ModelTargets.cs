using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Quantization;
using GaussQuant.Training;

namespace GaussQuant.Experiments;

/// <summary>Maps the <c>model</c> section (an <c>AutoencodingEngine</c> and its nested configs) onto <see cref="ModelConfig"/>.</summary>
internal static class ModelTargets
{
    public static ModelConfig Read(ConfigSection model)
    {
        double learningRate = model.Double("base_learning_rate");
        var (_, p) = TargetRegistry.ReadTarget(model, TargetRegistry.Autoencoder);
        model.RejectUnknown();
        model.Require(learningRate > 0, "base_learning_rate", "must be positive");

        var config = new ModelConfig
        {
            BaseLearningRate = learningRate,
            Encoder = TargetRegistry.ReadEncoder(p, "encoder_config"),
            Decoder = TargetRegistry.ReadDecoder(p, "decoder_config"),
            Quantizer = TargetRegistry.ReadQuantizer(p, "regularizer_config"),
            Loss = ReadLoss(p),
            OutputClampRange = ReadClampRange(p),
            GeneratorLearningRateFactor = p.Double("lr_g_factor", 1.0),
            DiscriminatorStartIteration = p.Long("disc_start_iter", 0),
            VisionFoundationModel = p.OptionalString("use_vf"),
            ReverseProjection = p.Bool("reverse_proj", false),
            VisionFoundationWeights = p.OptionalString(ModelConfig.VisionFoundationWeightsKey),
        };
        // input_key: we always feed images; ckpt_path/ckpt_engine: weights come from --ckpt; eval_only: the loss is
        // built only for training anyway; diff_boost_factor: brightens the reference's logged difference image only.
        p.Ignore("input_key", "ckpt_path", "ckpt_engine", "eval_only", "diff_boost_factor", "loss_config");
        p.Require(p.Node("optimizer_config") is null, "optimizer_config", "only the default optimizer (Adam) is supported");
        p.Require(p.Node("trainable_ae_params") is null, "trainable_ae_params", "parameter-group selection is not supported");
        p.Require(p.Node("trainable_disc_params") is null, "trainable_disc_params", "parameter-group selection is not supported");
        p.Require(!p.Bool("latent_stats", false), "latent_stats", "latent standardisation is not supported");
        p.RejectUnknown();
        Validate(p, config);
        return config;
    }

    /// <summary>The loss, with its VF params kept only when the model aligns to a foundation model (<c>use_vf</c>).</summary>
    private static AutoencoderLossOptions? ReadLoss(ConfigSection p)
    {
        if (!p.Has("loss_config")) return null;
        var loss = LossTargets.Read(TargetRegistry.Read(p, "loss_config", TargetRegistry.LpipsWithDiscriminator).Params);
        return p.OptionalString("use_vf") is null
            ? loss with { Alignment = null }
            : loss with { Alignment = loss.Alignment! with { ReverseProjection = p.Bool("reverse_proj", false) } };
    }

    private static string Name(LatentLayout layout) => layout.ToString().ToLowerInvariant();

    private static (double, double)? ReadClampRange(ConfigSection p)
    {
        var range = p.DoubleList("clamp_range");
        if (range is null) return null;
        p.Require(range.Count == 2 && range[0] < range[1], "clamp_range", "must be [min, max] with min < max");
        return (range[0], range[1]);
    }

    /// <summary>Checks that the encoder, quantizer, decoder and loss fit together.</summary>
    private static void Validate(ConfigSection p, ModelConfig config)
    {
        var (encoder, decoder, quantizer) = (config.Encoder, config.Decoder, config.Quantizer);
        string encoderPath = "encoder_config.params";
        string quantizerPath = "regularizer_config.params";
        p.Require(encoder.DoubleLatent == quantizer.TakesMoments, $"{encoderPath}.double_z", quantizer.TakesMoments
            ? $"the {quantizer.Kind} regularizer needs the encoder to output mean and log-variance (double_z: true)"
            : $"the {quantizer.Kind} regularizer takes the latent itself (double_z: false)");
        p.Require(quantizer.InputLayout == encoder.Layout, $"{quantizerPath}.format",
            $"the {encoder.Architecture} encoder gives {Name(encoder.Layout)} latents, but the {quantizer.Kind} regularizer takes {Name(quantizer.InputLayout)}");
        p.Require(decoder.Architecture == encoder.Architecture, "decoder_config.target",
            $"the decoder is a {decoder.Architecture} but the encoder a {encoder.Architecture}; both must be the same backbone");
        if (quantizer is GaussianQuantizerOptions gaussian)
        {
            string dimensionKey = gaussian.Variant == GroupingVariant.Strided ? "group" : "dim";
            p.Require(encoder.LatentChannels % gaussian.CodebookDimension == 0, $"{quantizerPath}.{dimensionKey}",
                $"{gaussian.CodebookDimension} does not divide the {encoder.LatentChannels} latent channels (z_channels)");
        }
        string? misfit = quantizer.ProblemWith(encoder.LatentChannels);
        p.Require(misfit is null, quantizerPath, misfit ?? "");
        if (config.Loss is { } loss)
            foreach (var term in loss.RegularizationWeights.Keys.Where(term => !quantizer.LossTerms.Contains(term)))
                throw p.Error("loss_config.params.regularization_weights",
                    $"'{term}' is not a loss term of the {quantizer.Kind} regularizer (its terms: {(quantizer.LossTerms.Count == 0 ? "none" : string.Join(", ", quantizer.LossTerms))})");
        p.Require(decoder.LatentChannels == encoder.LatentChannels, "decoder_config.params.z_channels",
            $"the decoder takes {decoder.LatentChannels} latent channels but the encoder makes {encoder.LatentChannels}");
        p.Require(config.VisionFoundationModel is null or "dinov2", "use_vf", "only dinov2 (or null) is known");
        p.Require(config.GeneratorLearningRateFactor > 0, "lr_g_factor", "must be positive");
        // Checked before any network exists: a config is the cheapest place to refuse 116 GB of weights.
        string? tooLarge = Models.ModelSize.ProblemWithLimit(encoder, decoder);
        p.Require(tooLarge is null, encoderPath, tooLarge ?? "");
    }
}
