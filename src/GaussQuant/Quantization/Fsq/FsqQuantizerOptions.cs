namespace GaussQuant.Quantization.Fsq;

/// <summary>Options of <see cref="FsqQuantizer"/> (the authors' <c>FSQQuantizer</c>): one level count per latent channel.</summary>
public sealed record FsqQuantizerOptions : QuantizerOptions
{
    /// <summary>Values channel i can take (<c>levels</c>); the latent has exactly this many channels.</summary>
    public required IReadOnlyList<int> Levels { get; init; }

    public override QuantizerKind Kind => QuantizerKind.Fsq;

    public override bool TakesMoments => false;

    public override IReadOnlyList<string> LossTerms => [];

    /// <summary>One token per position: the mixed-radix number of the channels' digits, ∏ levels values.</summary>
    public override TokenFormat? TokensFor(int latentChannels) => new(1, Levels.Aggregate(1L, (product, level) => product * level));

    public override string? ProblemWith(int latentChannels) =>
        Levels.Count == 0 || Levels.Any(level => level < 2) ? $"every FSQ level must be at least 2, got [{string.Join(", ", Levels)}]"
        : Levels.Aggregate(1.0, (product, level) => product * level) > (double)(1L << 62) ? "the levels' product must fit a token (at most 2^62)"
        : latentChannels != Levels.Count ? $"FSQ with {Levels.Count} levels needs {Levels.Count} latent channels (z_channels), not {latentChannels}"
        : null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>
    {
        ["levels"] = string.Join(",", Levels.Select(level => Text(level))),
    };

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new FsqQuantizer(this, latentChannels);

    // Records compare lists by reference; two configs with the same levels are the same options.
    public bool Equals(FsqQuantizerOptions? other) => other is not null && Levels.SequenceEqual(other.Levels);

    public override int GetHashCode() => Levels.Aggregate(17, HashCode.Combine);
}
