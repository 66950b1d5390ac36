using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// Split evaluations merge per-part moments (Chan et al.); the merge must give what one pass over all values gives,
/// up to float64 rounding. Values here are O(10) over a few dozen terms, so both computations carry errors of a few
/// ulps of the result (≈1e-15 relative); 1e-12 allows for that and fails for any wrong merge formula.
/// </summary>
public class MomentMergeTests
{
    private const double Float64Budget = 1e-12;

    [Fact]
    public void MetricMomentsMergeAsOnePass()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 37).Select(_ => 20 + 5 * random.NextDouble()).Append(double.PositiveInfinity).ToList();
        var whole = new MetricAccumulator();
        whole.AddRange(values);
        var (first, second) = (new MetricAccumulator(), new MetricAccumulator());
        first.AddRange(values.Take(11));
        second.AddRange(values.Skip(11));

        var merged = MetricAccumulator.From(MetricMoments.Empty.Merge(first.Moments).Merge(second.Moments)).Summary;

        Assert.Equal((whole.Summary.Count, whole.Summary.InfiniteCount), (merged.Count, merged.InfiniteCount));
        Assert.Equal(whole.Summary.Mean!.Value, merged.Mean!.Value, Float64Budget * whole.Summary.Mean.Value);
        Assert.Equal(whole.Summary.StandardDeviation!.Value, merged.StandardDeviation!.Value, Float64Budget * whole.Summary.StandardDeviation.Value);
    }

    [Fact]
    public void FeatureMomentsMergeAsOnePass()
    {
        using var scope = NewDisposeScope();
        var features = randn([29, 6], generator: manual_seed(5)).to(ScalarType.Float64) + 3;
        using var whole = new FeatureStatistics(6);
        whole.Add(features);
        using var first = new FeatureStatistics(6);
        first.Add(features[..10]);
        using var second = new FeatureStatistics(6);
        second.Add(features[10..]);

        first.Merge(second.Moments());

        Assert.Equal(whole.Count, first.Count);
        var (expected, actual) = (whole.Covariance().data<double>().ToArray(), first.Covariance().data<double>().ToArray());
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], Float64Budget * scale);
        var (mean, mergedMean) = (whole.Mean().data<double>().ToArray(), first.Mean().data<double>().ToArray());
        for (int i = 0; i < mean.Length; i++)
            Assert.Equal(mean[i], mergedMean[i], Float64Budget * 10);
    }
}
