using GaussQuant.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Bsq;

/// <summary>
/// Binary spherical quantization (spec §3, <c>BSQQuantizer</c>): the latent is L2-normalised over its c channels, each
/// channel becomes ±1 by its sign (straight-through) and the result is scaled by 1/√c, so quantized latents lie on
/// the unit sphere too; the c sign bits make one token (<see cref="SignBits"/>). Training adds the entropy penalty of
/// each bit's two-way distribution σ(∓4·u/(√c·τ)), the average taken over all bits jointly. No commitment loss.
/// </summary>
public sealed class BsqQuantizer : Quantizer
{
    /// <summary>F.normalize's guard against a zero vector.</summary>
    private const double NormEpsilon = 1e-12;

    public BsqQuantizer(BsqQuantizerOptions options, int latentChannels) : base(nameof(BsqQuantizer), options, latentChannels)
    {
        Options = options;
    }

    public BsqQuantizerOptions Options { get; }

    private double Scale => 1 / Math.Sqrt(Options.Bits);

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var unit = Normalised(encoderOutput);
        return new QuantizedLatent(SignBits.ToTokens(unit).MoveToOuterDisposeScope(), SignBits.Signs(unit).mul(Scale).MoveToOuterDisposeScope(),
            unit.MoveToOuterDisposeScope(), unit.clone().MoveToOuterDisposeScope());
    }

    /// <summary>The normalised latent on the unit sphere, before its signs are taken.</summary>
    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var unit = Normalised(encoderOutput).MoveToOuterDisposeScope();
        return new ContinuousLatent(unit, unit);
    }

    public override Tensor Dequantize(Tensor indices)
    {
        RequireTokenRange(indices, 1L << Options.Bits);
        if (indices.dim() != 4 || indices.shape[1] != 1)
            throw new ArgumentException($"BSQ tokens must be shaped [B, 1, h, w], got [{string.Join(", ", indices.shape)}]");
        using var scope = NewDisposeScope();
        return SignBits.ToSigns(indices, Options.Bits).mul(Scale).MoveToOuterDisposeScope();
    }

    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        using var scope = NewDisposeScope();
        var unit = Normalised(encoderOutput);
        var latent = unit.add(SignBits.Signs(unit.detach()).sub(unit).detach()).mul(Scale);
        var negative = unit.mul(-4 * Scale / CodeEntropy.Temperature).sigmoid();
        var probabilities = stack([negative, negative.neg().add(1)], -1);
        var losses = new Dictionary<string, Tensor>
        {
            [BsqQuantizerOptions.EntropyLossName] = CodeEntropy.Loss(probabilities, keptAxes: 0, batch).MoveToOuterDisposeScope(),
        };
        return new QuantizerTrainingOutput(latent.MoveToOuterDisposeScope(), losses, KlStatistics.None);
    }

    private Tensor Normalised(Tensor latent)
    {
        if (latent.dim() != 4 || latent.shape[1] != LatentChannels)
            throw new ArgumentException($"the BSQ quantizer takes latents [B, {LatentChannels}, h, w], got [{string.Join(", ", latent.shape)}]");
        return latent.div(latent.norm(1, keepdim: true).clamp_min(NormEpsilon));
    }
}
