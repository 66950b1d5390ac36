using GaussQuant.IO;

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

    /// <summary>
    /// The K the weights were trained with, when <see cref="CodebookSize"/> was chosen at inference
    /// (<see cref="WithInferenceCodebookSize"/>); null when the codebook is the trained one.
    /// </summary>
    public int? TrainedCodebookSize { get; init; }

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

    /// <summary>
    /// The same quantizer with a codebook of <paramref name="size"/> entries chosen at inference: same seed, dimension and
    /// β, so the entries are the first <paramref name="size"/> points of the same scrambled Sobol sequence (a smaller
    /// codebook is a prefix of a larger one). The encoder was trained for KL ≈ log2 K; the paper's argument is that the
    /// quantization error stays small for any K' with log2 K' above the KL and grows once it falls below. For inference
    /// only: training would aim the KL at log2 K'.
    /// </summary>
    /// <exception cref="ArgumentException">when the size is not a power of two in [2, 2^24], or the codebook and the search's
    /// copies of it would need more memory than <see cref="ResourceLimits.MaxModelBytes"/>.</exception>
    public GaussianQuantizerOptions WithInferenceCodebookSize(int size)
    {
        if (size is < 2 or > Codebook.MaxSize || !System.Numerics.BitOperations.IsPow2(size))
            throw new ArgumentException(
                $"the codebook size chosen at inference must be a power of two from 2 to 2^24 = {Codebook.MaxSize} (a whole number of bits per token), not {size}");
        double bytes = (double)CodebookCopies * sizeof(float) * size * CodebookDimension;
        long limit = ResourceLimits.Current.MaxModelBytes;
        if (bytes > limit)
            throw new ArgumentException(
                $"a codebook of {size} entries of dimension {CodebookDimension} would need {ResourceLimits.Describe(bytes)} with the search's copies of it, " +
                $"more than the {ResourceLimits.Describe(limit)} allowed ({ResourceLimits.ModelBytesVariable} raises the limit)");
        int trained = TrainedCodebookSize ?? CodebookSize;
        return this with { CodebookSize = size, TrainedCodebookSize = size == trained ? null : trained };
    }

    // Float32 values held per codebook value at most: the entries, the tensor the dequantizer indexes, and the search's
    // packed [p², p] rows, their SIMD panels and the tensor search's copy of them (two values each).
    private const int CodebookCopies = 8;
}
