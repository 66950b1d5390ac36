using GaussQuant.Distributed;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Continuous;

/// <summary>No regularization: the encoder's latent goes to the decoder as it is (a plain autoencoder; no tokens).</summary>
public sealed class IdentityRegularizer : Quantizer
{
    public IdentityRegularizer(IdentityRegularizerOptions options, int latentChannels) : base(nameof(IdentityRegularizer), options, latentChannels)
    {
    }

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null) => throw NoTokens();

    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        var latent = encoderOutput.detach().clone();
        return new ContinuousLatent(latent, latent);
    }

    public override Tensor Dequantize(Tensor indices) => throw NoTokens();

    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null) =>
        new(encoderOutput.alias(), new Dictionary<string, Tensor>(), KlStatistics.None);
}
