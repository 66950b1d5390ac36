namespace GaussQuant.Quantization.Continuous;

/// <summary>Options of <see cref="IdentityRegularizer"/> (the authors' <c>IdentityRegularizer</c>): there are none.</summary>
public sealed record IdentityRegularizerOptions : QuantizerOptions
{
    public override QuantizerKind Kind => QuantizerKind.Identity;

    public override bool TakesMoments => false;

    public override IReadOnlyList<string> LossTerms => [];

    public override TokenFormat? TokensFor(int latentChannels) => null;

    public override IReadOnlyDictionary<string, string> TokenParameters => new Dictionary<string, string>();

    public override Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null) => new IdentityRegularizer(this, latentChannels);
}
