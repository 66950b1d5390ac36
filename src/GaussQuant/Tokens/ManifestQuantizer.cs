namespace GaussQuant.Tokens;

/// <summary>
/// The quantizer that made a tokens file: its kind (<c>gaussian_quant</c>, <c>vq</c>, <c>fsq</c>, <c>lfq</c>, <c>bsq</c>)
/// and the parameters that decide what a token value means, so that decode refuses tokens of another kind or shape.
/// </summary>
public sealed record ManifestQuantizer(string Kind, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The kind recorded by manifests written before kinds were (only Gaussian Quant existed then).</summary>
    public const string GaussianQuantKind = "gaussian_quant";

    /// <summary>Same kind and the same parameters.</summary>
    public bool Describes(ManifestQuantizer other) =>
        Kind == other.Kind && Parameters.Count == other.Parameters.Count
        && Parameters.All(pair => other.Parameters.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public override string ToString() =>
        $"{Kind} ({string.Join(", ", Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"))})";
}
