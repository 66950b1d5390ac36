namespace GaussQuant.Training;

/// <summary>
/// Options of the training loss (<c>loss_config.params</c> of the reference's <c>GeneralLPIPSWithDiscriminator</c>);
/// defaults are the reference's defaults, not the GQ configs' values (those set perceptual 1, start 20001,
/// weight 0.75, learned log-variance, <c>kl_loss</c> 0.1, and a 160-channel, 6-layer ActNorm discriminator).
/// </summary>
public sealed record AutoencoderLossOptions
{
    /// <summary>Weight of the per-image perceptual distance added to every pixel's |x − x̂| (<c>perceptual_weight</c>).</summary>
    public double PerceptualWeight { get; init; } = 1.0;

    /// <summary>First global step (batches, counting both phases) with the adversarial terms (<c>disc_start</c>).</summary>
    public long DiscriminatorStart { get; init; }

    /// <summary>Scale of the adaptive weight of the generator's adversarial term (<c>disc_weight</c>).</summary>
    public double DiscriminatorWeight { get; init; } = 1.0;

    /// <summary>Factor on both adversarial terms once they are active (<c>disc_factor</c>).</summary>
    public double DiscriminatorFactor { get; init; } = 1.0;

    public DiscriminatorLossKind DiscriminatorLoss { get; init; } = DiscriminatorLossKind.Hinge;

    /// <summary>Whether the output log-variance is trained (<c>learn_logvar</c>); otherwise it stays at its start value.</summary>
    public bool LearnLogVariance { get; init; }

    /// <summary>Start value of the output log-variance (<c>logvar_init</c>).</summary>
    public double LogVarianceInit { get; init; }

    /// <summary>
    /// Weights of the regularizer's loss terms by the names the regularizer gives them
    /// (<c>regularization_weights</c>, e.g. <c>kl_loss</c> for Gaussian Quant).
    /// </summary>
    public IReadOnlyDictionary<string, double> RegularizationWeights { get; init; } = new Dictionary<string, double>();

    public NLayerDiscriminatorOptions Discriminator { get; init; } = new();

    /// <summary>VF alignment to a frozen foundation model (the model's <c>use_vf</c>); null: none.</summary>
    public VfAlignmentOptions? Alignment { get; init; }

    /// <summary>True when the adversarial terms can ever contribute (a zero factor or weight switches the discriminator off).</summary>
    public bool UsesDiscriminator => DiscriminatorFactor > 0 && DiscriminatorWeight > 0;
}
