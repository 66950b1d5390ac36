using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

public class UNetShapeTests
{
    // Four levels (f = 8) like the authors' model, narrow so the test is quick.
    private static readonly UNetOptions EightFold = new()
    {
        Channels = 32, ChannelMultipliers = [1, 1, 1, 1], ResBlocksPerLevel = 1, AttentionResolutions = [32], Resolution = 256,
    };

    [Fact]
    public void OddSidesAreFlooredAtEachDownsampleAsInTheReference()
    {
        using var encoder = new Encoder(EightFold);
        using var decoder = new Decoder(EightFold);
        using var noGrad = no_grad();
        using var image = rand(1, 3, 70, 64) * 2 - 1;
        using var moments = encoder.call(image);
        Assert.Equal(new long[] { 1, 32, 8, 8 }, moments.shape); // 70 → 35 → 17 → 8
        using var mean = moments[.., ..16];
        using var decoded = decoder.call(mean);
        Assert.Equal(new long[] { 1, 3, 64, 64 }, decoded.shape);
    }

    [Fact]
    public void SingleLatentWhenDoubleLatentIsOff()
    {
        using var encoder = new Encoder(EightFold with { DoubleLatent = false });
        using var noGrad = no_grad();
        using var image = zeros(2, 3, 16, 24);
        using var latent = encoder.call(image);
        Assert.Equal(new long[] { 2, 16, 2, 3 }, latent.shape);
    }

    [Fact]
    public void WrongInputsAreRejectedWithTheExpectedShape()
    {
        using var encoder = new Encoder(EightFold);
        using var decoder = new Decoder(EightFold);
        using var grey = zeros(1, 1, 64, 64);
        using var tiny = zeros(1, 3, 4, 64);
        using var flat = zeros(3, 64, 64);
        using var moments = zeros(1, 32, 8, 8);
        Assert.Contains("(batch, 3, height, width)", Assert.Throws<ArgumentException>(() => encoder.call(grey)).Message);
        Assert.Contains("at least 8", Assert.Throws<ArgumentException>(() => encoder.call(tiny)).Message);
        Assert.Contains("(batch, 3, height, width)", Assert.Throws<ArgumentException>(() => encoder.call(flat)).Message);
        Assert.Contains("(batch, 16, height, width)", Assert.Throws<ArgumentException>(() => decoder.call(moments)).Message);
    }
}
