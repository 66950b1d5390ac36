namespace GaussQuant.Models;

/// <summary>Which latent the decoder reconstructs from.</summary>
public enum ReconstructionMode
{
    /// <summary>The quantized latent: what the tokens of <c>gq encode</c> decode to.</summary>
    Vq,

    /// <summary>The posterior mean: the deterministic Gaussian-VAE reconstruction.</summary>
    Mean,

    /// <summary>A posterior sample μ + σ·ε.</summary>
    Sample,
}
