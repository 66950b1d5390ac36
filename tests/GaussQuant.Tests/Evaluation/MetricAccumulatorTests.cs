using GaussQuant.Evaluation;

namespace GaussQuant.Tests.Evaluation;

public class MetricAccumulatorTests
{
    [Fact]
    public void MeanAndSampleStandardDeviationMatchTheDirectFormulas()
    {
        double[] values = [30.5, 28.25, 31.0, 29.75, 1e6 + 0.5, 1e6 - 0.5];
        var accumulator = new MetricAccumulator();
        accumulator.AddRange(values);
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / (values.Length - 1));
        var summary = accumulator.Summary;
        Assert.Equal(values.Length, summary.Count);
        Assert.Equal(mean, summary.Mean!.Value, 9);
        Assert.Equal(std, summary.StandardDeviation!.Value, 9);
        Assert.Equal(0, summary.InfiniteCount);
    }

    [Fact]
    public void EmptyAccumulatorHasNoMean()
    {
        var summary = new MetricAccumulator().Summary;
        Assert.Equal(0, summary.Count);
        Assert.Null(summary.Mean);
        Assert.Null(summary.StandardDeviation);
    }

    [Fact]
    public void NaNAndNegativeInfinityAreRejected()
    {
        var accumulator = new MetricAccumulator();
        Assert.Throws<ArgumentException>(() => accumulator.Add(double.NaN));
        Assert.Throws<ArgumentException>(() => accumulator.Add(double.NegativeInfinity));
        accumulator.Add(double.PositiveInfinity);
        Assert.Equal(1, accumulator.Summary.InfiniteCount);
        Assert.Null(accumulator.Summary.Mean);
    }
}
