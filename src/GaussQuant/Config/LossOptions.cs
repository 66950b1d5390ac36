namespace GaussQuant.Config;

/// <summary>
/// The training objective (<c>pit.modules.losses.discriminator_loss.GeneralLPIPSWithDiscriminator</c>, spec §4.3):
/// L1 + LPIPS reconstruction under a learned output log-variance, a PatchGAN term after <see cref="DiscriminatorStart"/>,
/// the quantizer's weighted losses, and the optional VF alignment terms (§4.5). Defaults are the reference's.
/// </summary>
public sealed record LossOptions
{
    public double PerceptualWeight { get; init; } = 1.0;

    /// <summary>Global step (batches) from which the GAN terms are active (<c>disc_start</c>).</summary>
    public long DiscriminatorStart { get; init; }

    /// <summary>Scales the adaptive generator weight (<c>disc_weight</c>).</summary>
    public double DiscriminatorWeight { get; init; } = 1.0;

    /// <summary>Multiplies both GAN terms (<c>disc_factor</c>).</summary>
    public double DiscriminatorFactor { get; init; } = 1.0;

    public DiscriminatorLossKind DiscriminatorLoss { get; init; } = DiscriminatorLossKind.Hinge;

    /// <summary>Whether the output log-variance is trained (<c>learn_logvar</c>).</summary>
    public bool LearnLogVariance { get; init; }

    public double LogVarianceInit { get; init; }

    /// <summary>Weights of the quantizer's loss terms by name (<c>regularization_weights</c>, e.g. kl_loss: 0.1).</summary>
    public IReadOnlyDictionary<string, double> RegularizationWeights { get; init; } = new Dictionary<string, double>();

    /// <summary>Quantizer statistics to log besides the weighted terms (<c>additional_log_keys</c>).</summary>
    public IReadOnlyList<string> AdditionalLogKeys { get; init; } = [];

    public DiscriminatorOptions Discriminator { get; init; } = new();

    /// <summary>VF alignment weight (<c>vf_weight</c>); used only when the model has a vision foundation model.</summary>
    public double VisionFoundationWeight { get; init; } = 0.1;

    /// <summary>Scale the VF term by the gradient-norm ratio at the encoder's last layer (<c>adaptive_vf</c>).</summary>
    public bool AdaptiveVisionFoundationWeight { get; init; } = true;

    public double CosineMargin { get; init; } = 0.5;

    public double DistanceMatrixMargin { get; init; } = 0.25;

    public double DistanceMatrixWeight { get; init; } = 1.0;

    public double CosineWeight { get; init; } = 1.0;

    /// <summary>True when the GAN terms can ever contribute (a zero factor or weight switches the discriminator off).</summary>
    public bool UsesDiscriminator => DiscriminatorFactor > 0 && DiscriminatorWeight > 0;
}
