using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

public class NormalizeTests
{
    [Fact]
    public void UsesThirtyTwoGroupsAndEpsilonOneMillionth()
    {
        using var norm = Normalize.Create(64);
        using var noGrad = no_grad();
        // A variance near ε makes the result depend on ε: 1e-5 (PyTorch's default) would be far off.
        using var input = randn(2, 64, 3, 5, generator: new Generator(7)) * 1e-3;
        using var groups = input.reshape(2, 32, -1);
        using var mean = groups.mean([2L], keepdim: true);
        using var variance = groups.var([2L], unbiased: false, keepdim: true);
        using var expected = ((groups - mean) / (variance + 1e-6).sqrt()).reshape(2, 64, 3, 5);
        using var actual = norm.call(input);
        // Both float32: statistics of 30-element groups carry λ·√30·u ≈ 2e-6 relative error, doubled by the variance's
        // cancellation; 1e-4 leaves a wide margin, while ε = 1e-5 instead of 1e-6 would change outputs by ~40 %.
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void StartsAsTheIdentityAffineMap()
    {
        using var norm = Normalize.Create(32);
        Assert.True(norm.weight.eq(1).all().item<bool>());
        Assert.True(norm.bias!.eq(0).all().item<bool>());
    }

    [Theory]
    [InlineData(48)]
    [InlineData(0)]
    public void ChannelsThatAreNotAMultipleOf32AreRejected(long channels) =>
        Assert.Contains("multiple of 32", Assert.Throws<ArgumentException>(() => Normalize.Create(channels)).Message);
}
