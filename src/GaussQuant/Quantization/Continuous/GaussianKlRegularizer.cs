using GaussQuant.Distributed;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Continuous;

/// <summary>
/// A plain Gaussian VAE regularizer (spec §2.8, the removed <c>GaussianRegularizer</c>, <c>mode: even</c>): the
/// decoder gets μ + σ·ε, and the loss <c>kl</c> = ½·Σ(μ² + σ² − 1 − log σ²) over channels and positions, in nats,
/// averaged over the batch. Makes no tokens; <see cref="Continuous"/> gives the mean and a sample.
/// </summary>
public sealed class GaussianKlRegularizer : Quantizer
{
    public GaussianKlRegularizer(GaussianKlRegularizerOptions options, int latentChannels) : base(nameof(GaussianKlRegularizer), options, latentChannels)
    {
        Options = options;
    }

    public GaussianKlRegularizerOptions Options { get; }

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null) => throw NoTokens();

    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, logVariance) = Split(encoderOutput);
        var sample = mean.add(randn(mean.shape, mean.dtype, mean.device, generator: generator).mul(logVariance.mul(0.5).exp()));
        return new ContinuousLatent(mean.contiguous().MoveToOuterDisposeScope(), sample.MoveToOuterDisposeScope());
    }

    public override Tensor Dequantize(Tensor indices) => throw NoTokens();

    /// <summary>The sample and its KL; the KL statistics are per latent position (all channels), in bits.</summary>
    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        using var scope = NewDisposeScope();
        var (mean, logVariance) = Split(encoderOutput);
        var variance = logVariance.exp();
        var sample = mean.add(TrainingNoise.Normal(mean, generator, batch).mul(logVariance.mul(0.5).exp()));
        var klPerValue = mean.square().add(variance).sub(1).sub(logVariance).mul(0.5);
        var kl = klPerValue.sum().div(mean.shape[0]);
        KlStatistics bits;
        using (var perPosition = klPerValue.detach().sum(1).div(Math.Log(2)))
            bits = KlStatistics.Of(perPosition, batch);
        return new QuantizerTrainingOutput(sample.MoveToOuterDisposeScope(),
            new Dictionary<string, Tensor> { [GaussianKlRegularizerOptions.LossName] = kl.MoveToOuterDisposeScope() }, bits);
    }

    private (Tensor Mean, Tensor LogVariance) Split(Tensor moments)
    {
        if (moments.dim() != 4 || moments.shape[1] != EncoderChannels)
            throw new ArgumentException(
                $"the Gaussian regularizer takes moments [B, {EncoderChannels}, h, w] (mean and log-variance), got [{string.Join(", ", moments.shape)}]");
        var parts = moments.chunk(2, 1);
        return (parts[0], parts[1].clamp(Options.LogVarianceRange.Min, Options.LogVarianceRange.Max));
    }
}
