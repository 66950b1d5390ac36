using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// What one training-mode pass of any quantizer gives: the latent for the decoder, the loss terms by the names the
/// config's <c>regularization_weights</c> use (<c>kl_loss</c>, <c>codebook_loss</c>, <c>entropy_aux_loss</c>,
/// <c>commit_loss</c>, <c>kl</c>), and the KL-in-bits statistics of the Gaussian kinds (<see cref="KlStatistics.None"/>
/// for the others). The caller owns the tensors.
/// </summary>
public sealed record QuantizerTrainingOutput(Tensor Latent, IReadOnlyDictionary<string, Tensor> Losses, KlStatistics Bits) : IDisposable
{
    public void Dispose()
    {
        Latent.Dispose();
        foreach (var loss in Losses.Values) loss.Dispose();
    }
}
