using System.Globalization;

namespace GaussQuant.Quantization;

/// <summary>
/// The options of one quantizer kind, as a config describes it: enough to say what the quantizer needs from the
/// encoder, what tokens it makes and which loss terms it reports, before anything is built, and to build it.
/// </summary>
public abstract record QuantizerOptions
{
    public abstract QuantizerKind Kind { get; }

    /// <summary>Whether the encoder must give mean and log-variance (2c channels, <c>double_z: true</c>) rather than c.</summary>
    public abstract bool TakesMoments { get; }

    /// <summary>The latent layout it takes (the authors' <c>format</c>): the UNet's bchw for every kind but Gaussian Quant, which also takes blc.</summary>
    public virtual LatentLayout InputLayout => LatentLayout.Bchw;

    /// <summary>The names of the loss terms its training pass reports (what <c>regularization_weights</c> may weight).</summary>
    public abstract IReadOnlyList<string> LossTerms { get; }

    /// <summary>The tokens a latent of <paramref name="latentChannels"/> channels gives; null for continuous regularizers.</summary>
    public abstract TokenFormat? TokensFor(int latentChannels);

    /// <summary>Null when these options fit a latent of <paramref name="latentChannels"/> channels, else why not.</summary>
    public virtual string? ProblemWith(int latentChannels) => latentChannels > 0 ? null : "the latent needs at least one channel";

    /// <summary>
    /// The parameters that decide what a token means, as text (invariant culture): a token manifest records them so that
    /// tokens are never decoded by a quantizer of another kind or shape.
    /// </summary>
    public abstract IReadOnlyDictionary<string, string> TokenParameters { get; }

    /// <summary>Builds the quantizer (the autoencoder's <c>regularization</c> module) for a latent of c channels.</summary>
    public abstract Quantizer Create(int latentChannels, CodebookSearchOptions? searchOptions = null);

    protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
