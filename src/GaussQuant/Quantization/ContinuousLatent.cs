using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// The latent before quantization, [B, c, h, w]: the posterior mean and a sample μ + σ·ε for Gaussian regularizers;
/// for deterministic encoders both are the encoder's output. The caller owns the tensors.
/// </summary>
public sealed record ContinuousLatent(Tensor Mean, Tensor Sample) : IDisposable
{
    public void Dispose()
    {
        Mean.Dispose();
        if (!ReferenceEquals(Sample, Mean)) Sample.Dispose();
    }
}
