using GaussQuant.Quantization;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Quantization;

/// <summary>The Cephes ndtri port against scipy.special.ndtri, bit for bit in double.</summary>
public class CodebookInverseNormalCdfTests
{
    [Fact]
    public void MatchesSciPyOnEdgeAndRandomPoints()
    {
        var array = NpyFile.Read(TestPaths.Fixture("codebook", "ndtri_points.npy"));
        Assert.Equal(2, array.Shape[1]);
        double[] pairs = array.ToArray<double>();
        int mismatches = 0;
        string? first = null;
        for (int i = 0; i < pairs.Length; i += 2)
        {
            double actual = InverseNormalCdf.Evaluate(pairs[i]);
            if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(pairs[i + 1]))
            {
                mismatches++;
                first ??= $"ndtri({pairs[i]:R}) = {actual:R}, SciPy {pairs[i + 1]:R}";
            }
        }
        Assert.True(mismatches == 0, $"{mismatches} of {pairs.Length / 2} differ, first: {first}");
    }

    [Fact]
    public void MatchesSciPyOnADenseSweepOfFloat32Values()
    {
        var dense = CodebookTestData.Root.GetProperty("dense_ndtri");
        int stride = dense.GetProperty("stride").GetInt32();
        int end = dense.GetProperty("end_bits").GetInt32();
        var quantiles = new double[(end - 1 + stride - 1) / stride];
        for (int i = 0; i < quantiles.Length; i++)
            quantiles[i] = InverseNormalCdf.Evaluate(BitConverter.Int32BitsToSingle(1 + i * stride));
        Assert.Equal(dense.GetProperty("sha256").GetString(), CodebookTestData.Sha256(quantiles));
    }

    [Theory]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(1.0, double.PositiveInfinity)]
    [InlineData(0.5, 0.0)]
    public void HandlesTheEnds(double probability, double expected) =>
        Assert.Equal(expected, InverseNormalCdf.Evaluate(probability));

    [Fact]
    public void NegativeZeroIsZero() => Assert.Equal(double.NegativeInfinity, InverseNormalCdf.Evaluate(-0.0));

    [Theory]
    [InlineData(-1e-300)]
    [InlineData(1.0000000000000002)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void IsNaNOutsideTheUnitInterval(double probability) =>
        Assert.True(double.IsNaN(InverseNormalCdf.Evaluate(probability)));
}
