using GaussQuant.Quantization;

namespace GaussQuant.Tests.Quantization;

public class AdaptiveKlWeightsTests
{
    private const double Target = 16, Tolerance = 0.5, Factor = 1.01;
    private static readonly (double, double) StridedRange = (1e-3, 1e3);

    [Fact]
    public void FollowsTheReferenceRulesOnAScriptedSequence()
    {
        // (mean, min, max) bits per group, then the expected (λ, λmin, λmax) after the update, worked out by hand.
        var script = new (KlStatistics Bits, double Lambda, double LambdaMin, double LambdaMax)[]
        {
            // mean above target: λ up; max above band: λmax up; min below band: λmin down.
            (new(17, 15, 18), 1.01, 1 / 1.01, 1.01),
            // mean below target: λ down; max inside band: λmax down; min inside band: λmin up (clamped to 1).
            (new(15.9, 15.6, 16.4), 1.0, 1.0, 1.0),
            // λmax cannot go below 1, λmin cannot exceed 1.
            (new(16, 15.6, 16.4), 1 / 1.01, 1.0, 1.0),
            (new(16.2, 14, 20), 1.0, 1 / 1.01, 1.01),
            (new(16.2, 14, 20), 1.01, 1 / (1.01 * 1.01), 1.01 * 1.01),
        };
        var weights = AdaptiveKlWeights.Initial;
        foreach (var (bits, lambda, lambdaMin, lambdaMax) in script)
        {
            weights = weights.Next(bits, Target, Tolerance, Factor, StridedRange);
            Assert.Equal(lambda, weights.Lambda, 12);
            Assert.Equal(lambdaMin, weights.LambdaMin, 12);
            Assert.Equal(lambdaMax, weights.LambdaMax, 12);
        }
    }

    [Fact]
    public void BandEdgesAreInsideTheBand()
    {
        // The reference compares strictly: exactly T ± τ counts as inside.
        var next = new AdaptiveKlWeights(1, 0.5, 2).Next(new KlStatistics(16, 15.5, 16.5), Target, Tolerance, Factor, StridedRange);
        Assert.Equal(1 / 1.01, next.Lambda, 12);
        Assert.Equal(0.5 * 1.01, next.LambdaMin, 12);
        Assert.Equal(2 / 1.01, next.LambdaMax, 12);
    }

    [Fact]
    public void ClampsLambdaMinAndMaxButNotLambda()
    {
        var weights = AdaptiveKlWeights.Initial;
        for (int step = 0; step < 2000; step++)
            weights = weights.Next(new KlStatistics(20, 10, 30), Target, Tolerance, Factor, StridedRange);
        Assert.Equal(1e3, weights.LambdaMax);
        Assert.Equal(1e-3, weights.LambdaMin);
        // 2,000 float64 multiplications by 1.01 against Math.Pow: ≤ 2,000·2⁻⁵³ ≈ 2e-13 relative.
        Assert.Equal(Math.Pow(1.01, 2000), weights.Lambda, 1e-6 * Math.Pow(1.01, 2000));
    }
}
