using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Tests;

/// <summary>Proves the native LibTorch library loads on this OS (see the README's native-library note).</summary>
public class TorchSharpSmokeTests
{
    [Fact]
    public void ConvolutionRunsOnTheCpu()
    {
        using var input = ones(1, 1, 4, 4);
        using var kernel = ones(1, 1, 3, 3);
        using var output = nn.functional.conv2d(input, kernel, padding: new long[] { 1, 1 });
        Assert.Equal(new long[] { 1, 1, 4, 4 }, output.shape);
        Assert.Equal(9f, output[0, 0, 1, 1].item<float>());
        Assert.Equal(4f, output[0, 0, 0, 0].item<float>());
    }
}
