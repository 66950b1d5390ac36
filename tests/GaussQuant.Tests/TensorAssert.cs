using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests;

/// <summary>Tensor comparisons for the parity tests, which also print how close they came.</summary>
internal static class TensorAssert
{
    /// <summary>Same shape and max |expected − actual| ≤ <paramref name="tolerance"/>.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what, ITestOutputHelper output)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (expected - actual).abs();
        double maxDifference = difference.max().item<float>();
        output.WriteLine($"{what}: max |Δ| = {maxDifference:E2} (max |expected| = {expected.abs().max().item<float>():F3})");
        Assert.True(maxDifference <= tolerance, $"{what}: max |Δ| = {maxDifference:E3} > {tolerance}");
    }
}
