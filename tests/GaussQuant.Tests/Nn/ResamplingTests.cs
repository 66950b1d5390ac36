using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

public class ResamplingTests
{
    [Fact]
    public void DownsamplePadsOnlyTheRightAndBottom()
    {
        using var downsample = new Downsample(1);
        using var noGrad = no_grad();
        // With only the kernel's bottom-right tap, output (i, j) reads padded input (2i + 2, 2j + 2).
        var parameters = downsample.state_dict();
        parameters["conv.weight"].zero_()[0, 0, 2, 2] = tensor(1f);
        parameters["conv.bias"].zero_();
        using var input = arange(1, 17, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);
        using var output = downsample.call(input);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, output.shape);
        Assert.Equal(new[] { 11f, 0f, 0f, 0f }, output.data<float>().ToArray()); // input[2, 2] = 11, the rest is padding
    }

    [Theory]
    [InlineData(70, 35)]
    [InlineData(35, 17)]
    [InlineData(2, 1)]
    public void DownsampleFloorsOddSides(long side, long expected)
    {
        using var downsample = new Downsample(32);
        using var noGrad = no_grad();
        using var input = zeros(1, 32, side, side + 1);
        using var output = downsample.call(input);
        Assert.Equal(new[] { 1, 32, expected, (side + 1 - 2) / 2 + 1 }, output.shape);
    }

    [Fact]
    public void UpsampleRepeatsEachPixelTwoByTwoBeforeItsConv()
    {
        using var upsample = new Upsample(1);
        using var noGrad = no_grad();
        var parameters = upsample.state_dict();
        parameters["conv.weight"].zero_()[0, 0, 1, 1] = tensor(1f);
        parameters["conv.bias"].zero_();
        using var input = arange(6, dtype: ScalarType.Float32).reshape(1, 1, 2, 3);
        using var output = upsample.call(input);
        using var expected = input.repeat_interleave(2, 2).repeat_interleave(2, 3);
        Assert.Equal(new long[] { 1, 1, 4, 6 }, output.shape);
        Assert.True(output.equal(expected).all().item<bool>());
    }
}
