using GaussQuant.Config;

namespace GaussQuant.Training;

/// <summary>
/// Maps <c>GeneralLPIPSWithDiscriminator</c> and <c>NLayerDiscriminator</c> params onto <see cref="AutoencoderLossOptions"/>.
/// The VF-alignment params are validated but have no effect: GaussQuant does not train with a vision foundation model
/// (training refuses such configs), and inference does not use them. <c>additional_log_keys</c> only chose what the
/// reference logged; GaussQuant always logs every loss term and statistic.
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
        };
        p.StringList("additional_log_keys");
        foreach (string key in new[] { "vf_weight", "cos_margin", "distmat_margin", "distmat_weight", "cos_weight" })
            p.Double(key, 0.0);
        p.Bool("adaptive_vf", true);
        p.Require(!p.Bool("scale_input_to_tgt_size", false), "scale_input_to_tgt_size", "only false is supported");
        p.Require(p.Int("dims", 2) == 2, "dims", "only 2 (images) is supported");
        p.RejectUnknown();

        // Which terms may be weighted depends on the regularizer: ModelTargets checks them against it.
        p.Require(options.PerceptualWeight >= 0, "perceptual_weight", "must not be negative");
        p.Require(options.DiscriminatorStart >= 0, "disc_start", "must not be negative");
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
