namespace GaussQuant.Quantization;

/// <summary>The regularizer families GaussQuant builds (spec §2–§3); recorded in token manifests.</summary>
public enum QuantizerKind
{
    /// <summary>Gaussian Quant (the authors' <c>GaussianQuantRegularizer</c> and <c>GaussianQuantRegularizer2</c>).</summary>
    GaussianQuant,

    /// <summary>A learned codebook searched by Euclidean distance (<c>VQQuantizer</c>).</summary>
    Vq,

    /// <summary>Finite scalar quantization (<c>FSQQuantizer</c>).</summary>
    Fsq,

    /// <summary>Lookup-free quantization: one sign bit per channel (<c>LFQQuantizer</c>).</summary>
    Lfq,

    /// <summary>Binary spherical quantization: sign bits of the L2-normalised latent (<c>BSQQuantizer</c>).</summary>
    Bsq,

    /// <summary>No regularization: the latent passes through (<c>IdentityRegularizer</c>); makes no tokens.</summary>
    Identity,

    /// <summary>A plain Gaussian VAE with a KL penalty (the removed <c>GaussianRegularizer</c>); makes no tokens.</summary>
    GaussianKl,
}
