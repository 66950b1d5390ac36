using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// What one training-mode pass of Gaussian Quant gives: the latent for the decoder (a reparameterised sample, or
/// the quantized latent with straight-through gradients), the weighted KL loss, the KL statistics and the adaptive
/// weights used for this loss and updated after it. The caller owns the tensors.
/// </summary>
public sealed record GaussianQuantTrainingOutput(
    Tensor Latent,
    Tensor KlLoss,
    KlStatistics Bits,
    AdaptiveKlWeights WeightsUsed,
    AdaptiveKlWeights WeightsAfter) : IDisposable
{
    public void Dispose()
    {
        Latent.Dispose();
        KlLoss.Dispose();
    }
}
