using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

public class PsnrTests
{
    [Fact]
    public void UniformErrorGivesTheTextbookValue()
    {
        // A uniform error of 0.02 in [-1, 1] is 2.55 grey levels: PSNR = 20·log10(255 / 2.55) = 40 dB.
        using var original = zeros(2, 3, 4, 5);
        using var reconstruction = full(2, 3, 4, 5, 0.02f);
        double[] psnr = Psnr.PerImage(original, reconstruction);
        Assert.Equal(2, psnr.Length);
        Assert.All(psnr, value => Assert.Equal(40, value, 5));
    }

    [Fact]
    public void ExactReconstructionIsInfiniteAndAggregatesApart()
    {
        using var original = rand(2, 3, 8, 8) * 2 - 1;
        using var reconstruction = original.clone();
        reconstruction[1].add_(0.01);
        double[] psnr = Psnr.PerImage(original, reconstruction);
        Assert.True(double.IsPositiveInfinity(psnr[0]));
        Assert.True(double.IsFinite(psnr[1]));

        var accumulator = new MetricAccumulator();
        accumulator.AddRange(psnr);
        var summary = accumulator.Summary;
        Assert.Equal(1, summary.Count);
        Assert.Equal(1, summary.InfiniteCount);
        Assert.Equal(psnr[1], summary.Mean);
        Assert.Null(summary.StandardDeviation);
    }

    [Fact]
    public void ValuesAreNotRoundedToEightBits()
    {
        // 0.001 in [-1, 1] is 0.1275 grey levels: rounding to 8 bits would make it an exact match.
        using var original = zeros(1, 1, 3, 3);
        using var reconstruction = full(1, 1, 3, 3, 0.001f);
        double expected = 20 * Math.Log10(255 / (127.5 * (double)0.001f));
        Assert.Equal(expected, Psnr.PerImage(original, reconstruction)[0], 9);
    }

    [Fact]
    public void MismatchedShapesAndNaNAreRejected()
    {
        using var original = zeros(1, 3, 8, 8);
        using var smaller = zeros(1, 3, 8, 7);
        Assert.Contains("differ in shape", Assert.Throws<ArgumentException>(() => Psnr.PerImage(original, smaller)).Message);
        using var withNaN = original.clone();
        withNaN[0, 1, 2, 3] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Psnr.PerImage(original, withNaN)).Message);
        using var flat = zeros(3, 8, 8);
        Assert.Throws<ArgumentException>(() => Psnr.PerImage(flat, flat));
    }
}
