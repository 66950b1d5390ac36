using GaussQuant.Config;

namespace GaussQuant.Training;

/// <summary>
/// Maps <c>GeneralLPIPSWithDiscriminator</c> and <c>NLayerDiscriminator</c> params onto <see cref="AutoencoderLossOptions"/>.
/// The VF-alignment params are read into <see cref="AutoencoderLossOptions.Alignment"/>, which the model's reader keeps
/// only when the model sets <c>use_vf</c> (and completes with its <c>reverse_proj</c>). <c>additional_log_keys</c> only
/// chose what the reference logged; GaussQuant always logs every loss term and statistic.
/// </summary>
internal static class LossTargets
{
    public const string LpipsWithDiscriminator = "pit.modules.losses.discriminator_loss.GeneralLPIPSWithDiscriminator";
    public const string PatchDiscriminator = "pit.modules.lpips.model.model.NLayerDiscriminator";

    public static AutoencoderLossOptions Read(ConfigSection p)
    {
        var (_, discriminator) = TargetNode.Read(p, "discriminator_config", [PatchDiscriminator]);
        var options = new AutoencoderLossOptions
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
            Discriminator = ReadDiscriminator(discriminator),
            Alignment = ReadAlignment(p),
        };
        p.StringList("additional_log_keys");
        p.Require(!p.Bool("scale_input_to_tgt_size", false), "scale_input_to_tgt_size", "only false is supported");
        p.Require(p.Int("dims", 2) == 2, "dims", "only 2 (images) is supported");
        p.RejectUnknown();

        // Which terms may be weighted depends on the regularizer: ModelTargets checks them against it.
        p.Require(options.PerceptualWeight >= 0, "perceptual_weight", "must not be negative");
        p.Require(options.DiscriminatorStart >= 0, "disc_start", "must not be negative");
        return options;
    }

    private static VfAlignmentOptions ReadAlignment(ConfigSection p)
    {
        var defaults = new VfAlignmentOptions();
        var options = new VfAlignmentOptions
        {
            Weight = p.Double("vf_weight", defaults.Weight),
            Adaptive = p.Bool("adaptive_vf", defaults.Adaptive),
            DistanceMatrixMargin = p.Double("distmat_margin", defaults.DistanceMatrixMargin),
            CosineMargin = p.Double("cos_margin", defaults.CosineMargin),
            DistanceMatrixWeight = p.Double("distmat_weight", defaults.DistanceMatrixWeight),
            CosineWeight = p.Double("cos_weight", defaults.CosineWeight),
        };
        foreach (var (key, value) in new[] { ("vf_weight", options.Weight), ("distmat_weight", options.DistanceMatrixWeight), ("cos_weight", options.CosineWeight) })
            p.Require(value >= 0 && double.IsFinite(value), key, "must be a finite value ≥ 0");
        p.Require(double.IsFinite(options.DistanceMatrixMargin), "distmat_margin", "must be finite");
        p.Require(double.IsFinite(options.CosineMargin), "cos_margin", "must be finite");
        return options;
    }

    private static NLayerDiscriminatorOptions ReadDiscriminator(ConfigSection p)
    {
        var options = new NLayerDiscriminatorOptions
        {
            InputChannels = p.Int("input_nc", 3),
            BaseChannels = p.Int("ndf", 64),
            LayerCount = p.Int("n_layers", 3),
            UseActNorm = p.Bool("use_actnorm", false),
        };
        p.RejectUnknown();
        p.Require(options.InputChannels > 0, "input_nc", "must be positive");
        p.Require(options.BaseChannels > 0, "ndf", "must be positive");
        p.Require(options.LayerCount > 0, "n_layers", "must be positive");
        return options;
    }
}
