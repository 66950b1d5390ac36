using GaussQuant.Distributed;
using GaussQuant.Quantization;
using GaussQuant.Quantization.Bsq;
using GaussQuant.Quantization.Lfq;
using GaussQuant.Tests.Distributed;
using GaussQuant.Training;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>
/// The terms a data-parallel step computes over the batch, on two in-process ranks holding halves of it, against one
/// process holding it whole: the values, and the gradients that the ranks' objectives (each scaled by its share, as the
/// trainer scales them) give their rows.
/// </summary>
public class WholeBatchStatisticsTests
{
    /// <summary>
    /// The terms are means and entropies over 4·4·4 = 64 positions of ≤ 16 codes: float32 sums of ≤ 1,024 terms,
    /// ~√1024·u ≈ 2·10⁻⁶ relative per sum, two such sums in a row (the mean distribution, then its entropy); 1e-5 is 5×.
    /// </summary>
    private const double Tolerance = 1e-5;

    [Fact]
    public void LfqAndBsqEntropyIsTheWholeBatchs()
    {
        using var lfq = new LfqQuantizer(new LfqQuantizerOptions { CodebookSize = 16, CodebookCount = 2 }, 8);
        AssertSplitEqualsWhole(lfq, LfqQuantizerOptions.EntropyLossName, channels: 8);
        using var bsq = new BsqQuantizer(new BsqQuantizerOptions { Bits = 6 }, 6);
        AssertSplitEqualsWhole(bsq, BsqQuantizerOptions.EntropyLossName, channels: 6);
    }

    [Fact]
    public void KlStatisticsAreTheWholeBatchs()
    {
        using var bits = arange(24, ScalarType.Float32).reshape(4, 6).mul(0.37f).sin();
        var whole = KlStatistics.Of(bits);
        var halves = ThreadRanks.Run(2, ranks => KlStatistics.Of(bits.narrow(0, 2 * ranks.Rank, 2), new GlobalBatch(ranks, 4, ShardRange.Of(ranks.Rank, 2, 4))));
        foreach (var half in halves)
        {
            Assert.Equal(whole.Mean, half.Mean, Tolerance);
            Assert.Equal(whole.Min, half.Min);
            Assert.Equal(whole.Max, half.Max);
        }
    }

    [Fact]
    public void ActNormStartsFromTheWholeFirstBatch()
    {
        using var images = randn(4, 3, 5, 5, generator: new Generator(3)).mul(2).add(1);
        using var one = new ActNorm(3);
        one.train();
        using var expected = one.forward(images);
        var halves = ThreadRanks.Run(2, ranks =>
        {
            using var norm = new ActNorm(3) { Ranks = ranks };
            norm.train();
            using var output = norm.forward(images.narrow(0, 2 * ranks.Rank, 2));
            return output.detach().clone();
        });
        using var joined = cat(halves, 0);
        Assert.True(joined.allclose(expected, rtol: Tolerance, atol: Tolerance), "ActNorm on two ranks starts from other statistics than on one");
    }

    private static void AssertSplitEqualsWhole(Quantizer quantizer, string term, int channels)
    {
        using var latents = randn(4, channels, 4, 4, generator: new Generator(11));
        var (wholeValue, wholeGradient) = TermAndGradient(quantizer, term, latents.clone(), null);
        var halves = ThreadRanks.Run(2, ranks =>
            TermAndGradient(quantizer, term, latents.narrow(0, 2 * ranks.Rank, 2).clone(), new GlobalBatch(ranks, 4, ShardRange.Of(ranks.Rank, 2, 4))));
        // Logged as the trainer logs it: the share-weighted sum of the ranks' values.
        Assert.Equal(wholeValue, halves.Sum(half => half.Value * 0.5), Tolerance);
        using var joined = cat(halves.Select(half => half.Gradient).ToList(), 0);
        Assert.True(joined.allclose(wholeGradient, rtol: Tolerance, atol: Tolerance * wholeGradient.abs().max().item<float>()),
            $"{term}: the ranks' gradients are not the whole batch's");
    }

    /// <summary>This rank's value of the term and the gradient of (share × term) for its rows.</summary>
    private static (double Value, Tensor Gradient) TermAndGradient(Quantizer quantizer, string term, Tensor latents, GlobalBatch? batch)
    {
        latents.requires_grad = true;
        using var output = quantizer.TrainingPass(latents, batch: batch);
        var loss = output.Losses[term];
        double value = loss.item<float>();
        loss.mul(batch?.Fraction ?? 1.0).backward();
        return (value, latents.grad!.detach().clone());
    }
}
