using GaussQuant.Reports;

namespace GaussQuant.Tests.Reports;

public class HistogramTests
{
    [Fact]
    public void BinsStartOnRoundNumbersAndCountEveryValueOnce()
    {
        double[] values = [14.2, 17.9, 21.0, 21.5, 29.99, 30.0, double.PositiveInfinity];
        var histogram = Histogram.Of(values, bins: 8);

        // (30 − 14.2) / 8 = 1.975 → a width of 2, starting at 14.
        Assert.Equal(2, histogram.BinWidth);
        Assert.Equal(14, histogram.Start);
        Assert.True(histogram.End > 30);
        Assert.Equal(6, histogram.Counts.Sum());
        Assert.Equal(1, histogram.NotFinite);
        Assert.Equal(2, histogram.Counts[(int)((21.0 - 14) / 2)]);
    }

    [Fact]
    public void EqualValuesMakeOneBin()
    {
        var histogram = Histogram.Of([5.0, 5.0, 5.0]);
        Assert.Equal(3, histogram.Counts.Sum());
        Assert.Single(histogram.Counts);
    }
}
