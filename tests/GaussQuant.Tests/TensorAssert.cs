using TorchSharp.Modules;
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

    /// <summary>
    /// Same shape and max |expected − actual| within the float32 error budget of <paramref name="network"/>'s forward
    /// pass, for two float32 evaluations on any CPUs (ours, and PyTorch's that wrote the fixture).
    /// </summary>
    /// <remarks>
    /// The probabilistic budget of <see cref="Float32ErrorBound"/>: each convolution or linear layer of fan-in n adds
    /// an error of standard deviation √n·u relative to its output, and GroupNorm keeps activations of order one
    /// between layers, so the layers' errors add as independent variables: √(Σn)·u relative to the output's scale,
    /// λ of those for one evaluation and √2·λ between two. The attention products (sums over C and over h·w terms)
    /// are left out: each is shorter than the 3×3 convolutions around it.
    /// </remarks>
    public static void WithinNetworkBudget(Tensor expected, Tensor actual, nn.Module network, string what, ITestOutputHelper output) =>
        WithinBudgetOf(expected, actual, SummedTerms(network), what, output);

    /// <summary><see cref="WithinNetworkBudget"/> for a forward pass that sums <paramref name="terms"/> terms in all (Σn).</summary>
    public static void WithinBudgetOf(Tensor expected, Tensor actual, long terms, string what, ITestOutputHelper output)
    {
        double scale = expected.abs().max().item<float>();
        double tolerance = Float32ErrorBound.TwoEvaluations(terms) * scale;
        output.WriteLine($"{what}: budget over {terms:N0} summed terms: {tolerance:E2}");
        Close(expected, actual, tolerance, what, output);
    }

    /// <summary>Σn: the fan-ins of a network's convolutions and linear layers, the terms its forward pass sums.</summary>
    public static long SummedTerms(nn.Module network) => network.modules().Sum(module => module switch
    {
        Conv2d convolution => FanIn(convolution),
        Linear linear => linear.in_features,
        _ => 0L,
    });

    /// <summary>The terms one output of a convolution sums: input channels × kernel size.</summary>
    public static long FanIn(Conv2d convolution) => convolution.in_channels * convolution.kernel_size.Aggregate(1L, (a, b) => a * b);
}
