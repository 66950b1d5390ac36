namespace GaussQuant.Config;

/// <summary>Maps the <c>model</c> section (an <c>AutoencodingEngine</c> and its nested configs) onto <see cref="ModelConfig"/>.</summary>
internal static class ModelTargets
{
    public static ModelConfig Read(ConfigSection model)
    {
        double learningRate = model.Double("base_learning_rate");
        var (_, p) = TargetRegistry.ReadTarget(model, TargetRegistry.Autoencoder);
        model.RejectUnknown();
        model.Require(learningRate > 0, "base_learning_rate", "must be positive");

        var (_, encoderParams) = TargetRegistry.Read(p, "encoder_config", TargetRegistry.UNetEncoder);
        var (_, decoderParams) = TargetRegistry.Read(p, "decoder_config", TargetRegistry.UNetDecoder);
        var (quantizerTarget, quantizerParams) = TargetRegistry.Read(p, "regularizer_config",
            TargetRegistry.StridedGaussianQuant, TargetRegistry.ContiguousGaussianQuant);
        var config = new ModelConfig
        {
            BaseLearningRate = learningRate,
            Encoder = UNetTargets.ReadEncoder(encoderParams),
            Decoder = UNetTargets.ReadDecoder(decoderParams),
            Quantizer = QuantizerTargets.Read(quantizerTarget, quantizerParams),
            Loss = p.Has("loss_config") ? LossTargets.Read(TargetRegistry.Read(p, "loss_config", TargetRegistry.LpipsWithDiscriminator).Params) : null,
            OutputClampRange = ReadClampRange(p),
            GeneratorLearningRateFactor = p.Double("lr_g_factor", 1.0),
            DiscriminatorStartIteration = p.Long("disc_start_iter", 0),
            VisionFoundationModel = p.OptionalString("use_vf"),
            ReverseProjection = p.Bool("reverse_proj", false),
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

    private static (double, double)? ReadClampRange(ConfigSection p)
    {
        var range = p.DoubleList("clamp_range");
        if (range is null) return null;
        p.Require(range.Count == 2 && range[0] < range[1], "clamp_range", "must be [min, max] with min < max");
        return (range[0], range[1]);
    }

    /// <summary>Checks that the encoder, quantizer and decoder fit together.</summary>
    private static void Validate(ConfigSection p, ModelConfig config)
    {
        var (encoder, decoder, quantizer) = (config.Encoder, config.Decoder, config.Quantizer);
        string encoderPath = "encoder_config.params";
        string quantizerPath = "regularizer_config.params";
        string dimensionKey = quantizer.Variant == Quantization.GroupingVariant.Strided ? "group" : "dim";
        p.Require(encoder.DoubleLatent, $"{encoderPath}.double_z",
            "Gaussian Quant needs the encoder to output mean and log-variance (double_z: true)");
        p.Require(quantizer.Layout == Quantization.LatentLayout.Bchw, $"{quantizerPath}.format", "the UNet's latent layout is bchw");
        p.Require(encoder.LatentChannels % quantizer.CodebookDimension == 0, $"{quantizerPath}.{dimensionKey}",
            $"{quantizer.CodebookDimension} does not divide the {encoder.LatentChannels} latent channels (z_channels)");
        p.Require(decoder.LatentChannels == encoder.LatentChannels, "decoder_config.params.z_channels",
            $"the decoder takes {decoder.LatentChannels} latent channels but the encoder makes {encoder.LatentChannels}");
        p.Require(config.VisionFoundationModel is null or "dinov2", "use_vf", "only dinov2 (or null) is known");
        p.Require(config.GeneratorLearningRateFactor > 0, "lr_g_factor", "must be positive");
        // Checked before any network exists: a config is the cheapest place to refuse 116 GB of weights.
        string? tooLarge = Models.ModelSize.ProblemWithLimit(encoder, decoder);
        p.Require(tooLarge is null, encoderPath, tooLarge ?? "");
    }
}
