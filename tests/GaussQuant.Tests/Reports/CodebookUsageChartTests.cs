using GaussQuant.Evaluation;
using GaussQuant.Reports;

namespace GaussQuant.Tests.Reports;

public class CodebookUsageChartTests
{
    [Fact]
    public void SortsTheCountsAndBinsThemByPowersOfTwo()
    {
        long[] histogram = [5, 0, 3, 0, 1, 1, 9, 0];
        var chart = CodebookUsageChart.FromHistogram(histogram);

        Assert.Equal(CodebookUsageStatistics.FromHistogram(histogram), chart.Statistics);
        Assert.Equal(3, chart.UnusedEntries);
        Assert.Equal(3, chart.MaximumEntropyBits);
        Assert.Equal([9L, 5, 3, 1, 1, 0, 0, 0], chart.Curve.Select(point => point.Count));
        Assert.Equal(Enumerable.Range(1, 8).Select(rank => (long)rank), chart.Curve.Select(point => point.Rank));
        // 0: three entries; 1: two; 2–3: one (3); 4–7: one (5); 8–15: one (9).
        Assert.Equal(["0", "1", "2–3", "4–7", "8–15"], chart.CountBins.Select(bin => bin.Label));
        Assert.Equal([3L, 2, 1, 1, 1], chart.CountBins.Select(bin => bin.Entries));
    }

    [Fact]
    public void ALargeCodebookCurveIsSampledButKeepsItsEnds()
    {
        var histogram = Enumerable.Range(0, 65536).Select(entry => entry < 40000 ? (long)(entry % 97 + 1) : 0).ToArray();
        var chart = CodebookUsageChart.FromHistogram(histogram);

        Assert.InRange(chart.Curve.Count, 2, CodebookUsageChart.CurvePoints + 3);
        Assert.Equal(new RankedCount(1, 97), chart.Curve[0]);
        Assert.Contains(new RankedCount(40000, 1), chart.Curve);
        Assert.Equal(new RankedCount(65536, 0), chart.Curve[^1]);
        Assert.Equal(65536, chart.CountBins.Sum(bin => bin.Entries));
    }
}
