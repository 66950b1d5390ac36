namespace GaussQuant.Quantization.Continuous;

/// <summary>
/// Options of <see cref="GaussianKlRegularizer"/>: the authors' removed <c>GaussianRegularizer</c> in its
/// <c>mode: even</c> (spec §2.8), a plain Gaussian VAE.
/// </summary>
public sealed record GaussianKlRegularizerOptions : QuantizerOptions
{
    /// <summary>The KL term's name, as the removed class logged it and <c>sd3unet_gaussian_kl_0.64</c> weights it.</summary>
    public const string LossName = "kl";

    private static readonly string[] Terms = [LossName];

    /// <summary>Clamp range of the encoder's log-variance, as every Gaussian front end of the reference.</summary>
    public (double Min, double Max) LogVarianceRange { get; init; } = (-30.0, 20.0);

    public override QuantizerKind Kind => QuantizerKind.GaussianKl;

    public override bool TakesMoments => true;

    public override IReadOnlyList<string> LossTerms => Terms;

    public override TokenFormat? TokensFor(int latentChannels) => null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>();

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new GaussianKlRegularizer(this, latentChannels);
}
