namespace GaussQuant.Config;

/// <summary>Maps <c>GeneralLPIPSWithDiscriminator</c> and <c>NLayerDiscriminator</c> params onto <see cref="LossOptions"/>.</summary>
internal static class LossTargets
{
    /// <summary>The quantizer terms a loss may weight: GaussQuant's quantizers report their KL penalty as kl_loss.</summary>
    private static readonly string[] WeightableTerms = ["kl_loss"];

    public static LossOptions Read(ConfigSection p)
    {
        var (_, discriminator) = TargetRegistry.Read(p, "discriminator_config", TargetRegistry.PatchDiscriminator);
        var options = new LossOptions
        {
            PerceptualWeight = p.Double("perceptual_weight", 1.0),
            DiscriminatorStart = p.Long("disc_start"),
            DiscriminatorWeight = p.Double("disc_weight", 1.0),
            DiscriminatorFactor = p.Double("disc_factor", 1.0),
            DiscriminatorLoss = p.String("disc_loss", "hinge") switch
            {
                "hinge" => DiscriminatorLossKind.Hinge,
                "vanilla" => DiscriminatorLossKind.Vanilla,
                var other => throw p.Error("disc_loss", $"'{other}' is not a discriminator loss (hinge or vanilla)"),
            },
            LearnLogVariance = p.Bool("learn_logvar", false),
            LogVarianceInit = p.Double("logvar_init", 0.0),
            RegularizationWeights = p.NumberMap("regularization_weights") ?? new Dictionary<string, double>(),
            AdditionalLogKeys = p.StringList("additional_log_keys") ?? [],
            Discriminator = ReadDiscriminator(discriminator),
            VisionFoundationWeight = p.Double("vf_weight", 0.1),
            AdaptiveVisionFoundationWeight = p.Bool("adaptive_vf", true),
            CosineMargin = p.Double("cos_margin", 0.5),
            DistanceMatrixMargin = p.Double("distmat_margin", 0.25),
            DistanceMatrixWeight = p.Double("distmat_weight", 1.0),
            CosineWeight = p.Double("cos_weight", 1.0),
        };
        p.Require(!p.Bool("scale_input_to_tgt_size", false), "scale_input_to_tgt_size", "only false is supported");
        p.Require(p.Int("dims", 2) == 2, "dims", "only 2 (images) is supported");
        p.RejectUnknown();

        foreach (var term in options.RegularizationWeights.Keys.Where(term => !WeightableTerms.Contains(term)))
            throw p.Error("regularization_weights", $"'{term}' is not a loss term of the quantizer (known: {string.Join(", ", WeightableTerms)})");
        p.Require(options.PerceptualWeight >= 0, "perceptual_weight", "must not be negative");
        p.Require(options.DiscriminatorStart >= 0, "disc_start", "must not be negative");
        return options;
    }

    private static DiscriminatorOptions ReadDiscriminator(ConfigSection p)
    {
        var options = new DiscriminatorOptions
        {
            InChannels = p.Int("input_nc", 3),
            BaseChannels = p.Int("ndf", 64),
            Layers = p.Int("n_layers", 3),
            UseActNorm = p.Bool("use_actnorm", false),
        };
        p.RejectUnknown();
        p.Require(options.InChannels > 0, "input_nc", "must be positive");
        p.Require(options.BaseChannels > 0, "ndf", "must be positive");
        p.Require(options.Layers > 0, "n_layers", "must be positive");
        return options;
    }
}
