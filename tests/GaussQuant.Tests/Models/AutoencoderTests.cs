using GaussQuant.Models;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

public class AutoencoderTests
{
    private static readonly UNetOptions Small = new()
    {
        Channels = 32, ChannelMultipliers = [1, 2], ResBlocksPerLevel = 1, AttentionResolutions = [], Resolution = 16,
        LatentChannels = 8,
    };

    private static Autoencoder Create(int dimension = 4) =>
        new(Small, Small, new GaussianQuantizerOptions { CodebookDimension = dimension, CodebookSize = 256 });

    [Fact]
    public void StateDictUsesTheAuthorsPrefixes()
    {
        using var model = Create();
        var keys = model.state_dict().Keys.ToList();
        Assert.Contains("encoder.conv_in.weight", keys);
        Assert.Contains("decoder.conv_out.bias", keys);
        Assert.All(keys, key => Assert.True(key.StartsWith("encoder.") || key.StartsWith("decoder."), key));
    }

    [Fact]
    public void DecodingTheTokensEqualsDecodingTheQuantizedLatent()
    {
        using var model = Create();
        model.eval();
        using var images = rand(2, 3, 16, 24).mul(2).sub(1);
        using var latent = model.Quantize(images);
        Assert.Equal(new long[] { 2, 2, 8, 12 }, latent.Indices.shape);
        using var fromTokens = model.DecodeTokens(latent.Indices);
        using var fromLatent = model.Decode(latent.Quantized);
        using var reconstructed = model.Reconstruct(images, ReconstructionMode.Vq);
        Assert.True(fromTokens.equal(fromLatent).all().item<bool>());
        Assert.True(fromTokens.equal(reconstructed).all().item<bool>());
        Assert.Equal(images.shape, fromTokens.shape);
    }

    [Fact]
    public void MeanModeIsDeterministicAndDiffersFromVq()
    {
        using var model = Create();
        model.eval();
        using var images = rand(1, 3, 16, 16).mul(2).sub(1);
        using var first = model.Reconstruct(images, ReconstructionMode.Mean);
        using var second = model.Reconstruct(images, ReconstructionMode.Mean);
        using var vq = model.Reconstruct(images, ReconstructionMode.Vq);
        Assert.True(first.equal(second).all().item<bool>());
        Assert.False(first.equal(vq).all().item<bool>());
    }

    [Fact]
    public void SidesThatAreNotMultiplesOfTheFactorAreRejected()
    {
        using var model = Create();
        using var images = zeros(1, 3, 16, 17);
        var error = Assert.Throws<ArgumentException>(() => model.Quantize(images));
        Assert.Contains("multiple of the model's downsampling factor 2", error.Message);
        Assert.Contains("got 17x16", error.Message);
    }

    [Fact]
    public void MismatchedEncoderAndDecoderAreRejected()
    {
        var quantizer = new GaussianQuantizerOptions { CodebookDimension = 4, CodebookSize = 16 };
        Assert.Throws<ArgumentException>(() => new Autoencoder(Small with { DoubleLatent = false }, Small, quantizer));
        Assert.Throws<ArgumentException>(() => new Autoencoder(Small, Small with { LatentChannels = 4 }, quantizer));
    }
}
