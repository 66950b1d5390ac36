namespace GaussQuant.Quantization;

/// <summary>How latent channels are split into codebook groups.</summary>
public enum GroupingVariant
{
    /// <summary>
    /// The authors' <c>GaussianQuantRegularizer</c>: codebook k takes channels k, k + n, k + 2n, … (n codebooks per
    /// position); KL loss summed over positions and codebooks, averaged over the batch.
    /// </summary>
    Strided,

    /// <summary>
    /// The authors' <c>GaussianQuantRegularizer2</c>: codebook k takes channels [k·d, (k + 1)·d); KL loss averaged
    /// over every group; optional straight-through estimator.
    /// </summary>
    Contiguous,
}

/// <summary>Where the channel axis of the latent sits.</summary>
public enum LatentLayout
{
    /// <summary>[B, C, H, W] (UNet).</summary>
    Bchw,

    /// <summary>[B, L, C] (ViT tokens).</summary>
    Blc,
}

/// <summary>Options of the Gaussian Quant quantizer; defaults are the reference's.</summary>
public sealed record GaussianQuantizerOptions : QuantizerOptions
{
    private static readonly string[] Terms = [GaussianQuantizer.LossName];

    public GroupingVariant Variant { get; init; } = GroupingVariant.Strided;

    public LatentLayout Layout { get; init; } = LatentLayout.Bchw;

    /// <summary>K, the number of codebook entries (<c>n_samples</c> / <c>codebook_size</c>); a power of two.</summary>
    public int CodebookSize { get; init; } = 65536;

    /// <summary>d, the dimension of one codebook vector (<c>group</c> / <c>dim</c>).</summary>
    public int CodebookDimension { get; init; } = 16;

    /// <summary>Seed of the scrambled Sobol codebook.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>β: weight of the prior term in log q(z|x) − β·log p(z).</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Clamp range of the encoder's log-variance (<c>logvar_range</c>).</summary>
    public (double Min, double Max) LogVarianceRange { get; init; } = (-30.0, 20.0);

    /// <summary>Half-width, in bits, of the band around log2 K in which a group's KL is not re-weighted.</summary>
    public double Tolerance { get; init; } = 0.5;

    /// <summary>Multiplicative step of the adaptive weights λ, λmin, λmax (<c>lam_factor</c>).</summary>
    public double LambdaFactor { get; init; } = 1.01;

    /// <summary>Contiguous variant only: the latent's value is the quantized one in training too, gradients pass through the sample.</summary>
    public bool UseStraightThrough { get; init; } = true;

    /// <summary>Upper bound on the scratch memory of the codebook search, in bytes.</summary>
    public long SearchMemoryBudgetBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bits carried by one token: log2 K.</summary>
    public int BitsPerToken => System.Numerics.BitOperations.Log2((uint)CodebookSize);

    public override QuantizerKind Kind => QuantizerKind.GaussianQuant;

    public override bool TakesMoments => true;

    public override LatentLayout InputLayout => Layout;

    public override IReadOnlyList<string> LossTerms => Terms;

    public override TokenFormat? TokensFor(int latentChannels) => new(latentChannels / CodebookDimension, CodebookSize);

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>
    {
        ["variant"] = Variant.ToString().ToLowerInvariant(),
        ["dim"] = Text(CodebookDimension),
        ["size"] = Text(CodebookSize),
        ["seed"] = Text(Seed),
    };

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) =>
        new GaussianQuantizer(this, latentChannels, searchOptions: searchOptions);
}
