namespace GaussQuant.Quantization.Vq;

/// <summary>Options of <see cref="VqQuantizer"/> (the authors' <c>VQQuantizer</c>); defaults are the reference's.</summary>
public sealed record VqQuantizerOptions : QuantizerOptions
{
    public const string LossName = "codebook_loss";

    private static readonly string[] Terms = [LossName];

    /// <summary>K, the number of learned codebook vectors (<c>n</c>).</summary>
    public int CodebookSize { get; init; } = 65536;

    /// <summary>d, the dimension of one codebook vector (<c>dim</c>); the latent's c channels hold c / d of them.</summary>
    public int CodebookDimension { get; init; } = 16;

    /// <summary>
    /// Weight of the term that moves the codebook towards the encoder (<c>beta</c>). Reference quirk kept: the term
    /// that moves the encoder has weight 1, so the VQ-VAE commitment and codebook weights are swapped.
    /// </summary>
    public double Beta { get; init; } = 0.25;

    public override QuantizerKind Kind => QuantizerKind.Vq;

    public override bool TakesMoments => false;

    public override IReadOnlyList<string> LossTerms => Terms;

    public override TokenFormat? TokensFor(int latentChannels) => new(latentChannels / CodebookDimension, CodebookSize);

    public override string? ProblemWith(int latentChannels) =>
        CodebookSize < 1 || CodebookDimension < 1 ? $"the codebook must have a positive size and dimension, not {CodebookSize} × {CodebookDimension}"
        : latentChannels < 1 || latentChannels % CodebookDimension != 0
            ? $"the latent channels ({latentChannels}) must be a positive multiple of the codebook dimension ({CodebookDimension})"
            : null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>
    {
        ["dim"] = Text(CodebookDimension),
        ["size"] = Text(CodebookSize),
    };

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new VqQuantizer(this, latentChannels);
}
