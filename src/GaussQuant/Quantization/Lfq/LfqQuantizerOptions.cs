using System.Numerics;

namespace GaussQuant.Quantization.Lfq;

/// <summary>Options of <see cref="LfqQuantizer"/> (the authors' <c>LFQQuantizer</c>).</summary>
public sealed record LfqQuantizerOptions : QuantizerOptions
{
    public const string EntropyLossName = "entropy_aux_loss";
    public const string CommitLossName = "commit_loss";

    private static readonly string[] Terms = [EntropyLossName, CommitLossName];

    /// <summary>Codes of one sub-codebook (<c>codebook_size</c>), 2^bits: each covers log2 of it channels.</summary>
    public int CodebookSize { get; init; } = 256;

    /// <summary>Sub-codebooks per position (<c>num_codebooks</c>); their bits together make one token.</summary>
    public int CodebookCount { get; init; } = 1;

    /// <summary>Channels (sign bits) of one sub-codebook: log2 <see cref="CodebookSize"/>.</summary>
    public int CodebookDimension => BitOperations.Log2((uint)CodebookSize);

    /// <summary>Bits of one token: every latent channel is one.</summary>
    public int Bits => CodebookDimension * CodebookCount;

    public override QuantizerKind Kind => QuantizerKind.Lfq;

    public override bool TakesMoments => false;

    public override IReadOnlyList<string> LossTerms => Terms;

    public override TokenFormat? TokensFor(int latentChannels) => new(1, 1L << Bits);

    public override string? ProblemWith(int latentChannels) =>
        CodebookSize < 2 || !BitOperations.IsPow2(CodebookSize) ? $"the LFQ codebook size must be a power of two ≥ 2, not {CodebookSize}"
        : CodebookCount < 1 ? $"the number of LFQ codebooks must be positive, not {CodebookCount}"
        : Bits > SignBits.MaxBits ? $"{Bits} bits per token are more than the {SignBits.MaxBits} a token can hold"
        : latentChannels != Bits ? $"LFQ with {CodebookCount} codebooks of {CodebookSize} codes needs {Bits} latent channels (z_channels), not {latentChannels}"
        : null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>
    {
        ["codebook_size"] = Text(CodebookSize),
        ["num_codebooks"] = Text(CodebookCount),
    };

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new LfqQuantizer(this, latentChannels);
}
