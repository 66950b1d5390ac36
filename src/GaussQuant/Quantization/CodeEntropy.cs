using GaussQuant.Distributed;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// The entropy penalty of LFQ and BSQ: the mean entropy of each value's code distribution minus the entropy of the
/// batch's average distribution, so that each value is confident and the codes are used evenly.
/// </summary>
internal static class CodeEntropy
{
    /// <summary>The reference's sharpness of the code distributions.</summary>
    public const double Temperature = 0.01;

    /// <summary>Reference quirk kept: log(p + 1e-5) rather than log p, so that 0·log 0 stays finite.</summary>
    private const double LogEpsilon = 1e-5;

    /// <summary>−Σ p·log(p + 1e-5) over the last axis.</summary>
    public static Tensor Of(Tensor probabilities) => probabilities.mul(probabilities.add(LogEpsilon).log()).sum(-1).neg();

    /// <summary>
    /// mean(entropy of each distribution) − entropy of the mean distribution, where distributions are the last axis of
    /// <paramref name="probabilities"/> and the mean is over the axes before <paramref name="keptAxes"/> trailing ones
    /// (the mean distribution's entropy is then averaged over those kept axes).
    /// </summary>
    /// <param name="batch">
    /// This rank's part of a data-parallel batch: the mean distribution is then the whole batch's. Its entropy is not a mean
    /// over images, so its gradient is divided by <see cref="GlobalBatch.Fraction"/>: the trainer scales every rank's
    /// objective by that fraction, after which the ranks' gradients add up to the whole batch's.
    /// </param>
    public static Tensor Loss(Tensor probabilities, int keptAxes, GlobalBatch? batch = null)
    {
        var sample = Of(probabilities).mean();
        int averaged = (int)probabilities.dim() - 1 - keptAxes;
        var average = probabilities.mean(Enumerable.Range(0, averaged).Select(axis => (long)axis).ToArray());
        if (batch is not { IsSplit: true })
            return sample.sub(Of(average).mean());
        // The whole batch's mean: this rank's part keeps its gradient, the other ranks' parts enter as constants.
        var part = average.mul(batch.Fraction);
        var whole = part.add(batch.Sum(part).sub(part.detach()));
        var entropy = Of(whole).mean();
        return sample.sub(entropy.detach().add(entropy.sub(entropy.detach()).div(batch.Fraction)));
    }
}
