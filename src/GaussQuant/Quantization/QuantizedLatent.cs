using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// Inference-mode output of the quantizer. Latent tensors have the encoder's layout with c channels
/// ([B, c, h, w] or [B, L, c]); <see cref="Indices"/> is int64 [B, n_codebooks, h, w] (or [B, L, n_codebooks]).
/// The caller owns the tensors.
/// </summary>
public sealed record QuantizedLatent(Tensor Indices, Tensor Quantized, Tensor Mean, Tensor Sample) : IDisposable
{
    public void Dispose()
    {
        Indices.Dispose();
        Quantized.Dispose();
        Mean.Dispose();
        Sample.Dispose();
    }
}
