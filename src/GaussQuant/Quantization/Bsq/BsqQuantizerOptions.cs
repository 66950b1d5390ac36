namespace GaussQuant.Quantization.Bsq;

/// <summary>
/// Options of <see cref="BsqQuantizer"/> (the authors' <c>BSQQuantizer</c>): <c>num_codebooks</c> one-bit codebooks
/// (<c>codebook_size</c> 2), one per latent channel.
/// </summary>
public sealed record BsqQuantizerOptions : QuantizerOptions
{
    public const string EntropyLossName = "entropy_aux_loss";

    private static readonly string[] Terms = [EntropyLossName];

    /// <summary>Bits per token, one per latent channel (<c>num_codebooks</c>).</summary>
    public int Bits { get; init; } = 16;

    public override QuantizerKind Kind => QuantizerKind.Bsq;

    public override bool TakesMoments => false;

    public override IReadOnlyList<string> LossTerms => Terms;

    public override TokenFormat? TokensFor(int latentChannels) => new(1, 1L << Bits);

    public override string? ProblemWith(int latentChannels) =>
        Bits < 1 || Bits > SignBits.MaxBits ? $"BSQ needs 1 to {SignBits.MaxBits} bits per token, not {Bits}"
        : latentChannels != Bits ? $"BSQ with {Bits} one-bit codebooks needs {Bits} latent channels (z_channels), not {latentChannels}"
        : null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string> { ["bits"] = Text(Bits) };

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new BsqQuantizer(this, latentChannels);
}
