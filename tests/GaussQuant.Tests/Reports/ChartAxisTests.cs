using GaussQuant.Reports.Html;

namespace GaussQuant.Tests.Reports;

public class ChartAxisTests
{
    [Fact]
    public void ANegativeRangeHasAZeroTickNotMinusZero()
    {
        var axis = ChartAxis.Linear(-0.4, 0);
        Assert.Contains(axis.Ticks, tick => tick == 0);
        Assert.DoesNotContain(axis.Ticks.Select(axis.Label), label => label == "-0");
    }

    [Fact]
    public void AnExactAxisSpansItsRangeWithRoundTicksInside()
    {
        var axis = ChartAxis.Linear(1, 4096, exact: true);
        Assert.Equal((1.0, 4096.0), (axis.Low, axis.High));
        Assert.Equal([1000.0, 2000, 3000, 4000], axis.Ticks);
    }

    [Fact]
    public void ALogAxisSpansWholeDecades()
    {
        var axis = ChartAxis.Log(3, 420);
        Assert.Equal([1.0, 10, 100, 1000], axis.Ticks);
        Assert.Equal(0.5, axis.Fraction(Math.Sqrt(1000)), 12);
    }
}
