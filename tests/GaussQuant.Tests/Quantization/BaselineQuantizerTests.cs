using GaussQuant.Quantization;
using GaussQuant.Quantization.Bsq;
using GaussQuant.Quantization.Continuous;
using GaussQuant.Quantization.Fsq;
using GaussQuant.Quantization.Lfq;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Quantization;

/// <summary>The baseline quantizers' token contracts beyond the 16-bit configs of the parity fixtures.</summary>
public class BaselineQuantizerTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(40)]
    public void SignBitsReadTheFirstChannelAsTheMostSignificantBitForAnyWidth(int bits)
    {
        using var quantizer = new BsqQuantizer(new BsqQuantizerOptions { Bits = bits }, bits);
        using var latent = randn(2, bits, 3, 4, generator: new Generator(5));
        using var result = quantizer.Quantize(latent);
        var signs = latent.gt(0).data<bool>().ToArray();
        long expected = 0;
        for (int channel = 0; channel < bits; channel++)
            expected = expected * 2 + (signs[channel * 12] ? 1 : 0); // image 0, position (0, 0)
        Assert.Equal(expected, result.Indices[0, 0, 0, 0].item<long>());
        using var again = quantizer.Dequantize(result.Indices);
        Assert.True(again.equal(result.Quantized).all().item<bool>());
        Assert.Equal(1 / Math.Sqrt(bits), result.Quantized.abs().max().item<float>(), 6);
    }

    [Fact]
    public void LfqWithOtherWidthsKeepsOneTokenPerPosition()
    {
        var options = new LfqQuantizerOptions { CodebookSize = 16, CodebookCount = 3 };
        using var quantizer = new LfqQuantizer(options, 12);
        Assert.Equal(new TokenFormat(1, 1L << 12), quantizer.Tokens);
        using var latent = randn(1, 12, 2, 2, generator: new Generator(3));
        using var result = quantizer.Quantize(latent);
        using var again = quantizer.Dequantize(result.Indices);
        Assert.True(again.equal(result.Quantized).all().item<bool>());
        Assert.True(again.abs().eq(1).all().item<bool>());
    }

    [Fact]
    public void FsqTokensAreMixedRadixNumbersWithTheFirstLevelMostSignificant()
    {
        using var quantizer = new FsqQuantizer(new FsqQuantizerOptions { Levels = [8, 5, 3] }, 3);
        // Every code once: digits (d0, d1, d2) ↦ (d0·5 + d1)·3 + d2, and back.
        using var tokens = arange(120, ScalarType.Int64).reshape(1, 1, 10, 12);
        using var latent = quantizer.Dequantize(tokens);
        using var levels = tensor(new float[] { 4, 2, 1 }).reshape(1, 3, 1, 1);
        using var digits = latent.mul(levels).add(levels).round();
        Assert.Equal(new float[] { 0, 0, 1 }, digits[0, .., 0, 1].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1, 0 }, digits[0, .., 0, 3].data<float>().ToArray());
        Assert.Equal(new float[] { 7, 4, 2 }, digits[0, .., 9, 11].data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => quantizer.Dequantize(tensor(new long[] { 120 }).reshape(1, 1, 1, 1)));
    }

    [Fact]
    public void TheIdentityRegularizerPassesTheLatentAndMakesNoTokens()
    {
        using var quantizer = new IdentityRegularizerOptions().Create(4);
        Assert.Null(quantizer.Tokens);
        using var latent = randn(1, 4, 2, 2, generator: new Generator(1));
        using var continuous = quantizer.Continuous(latent);
        Assert.True(continuous.Mean.equal(latent).all().item<bool>());
        Assert.Contains("makes no tokens", Assert.Throws<NotSupportedException>(() => quantizer.Quantize(latent)).Message);
        Assert.Contains("makes no tokens", Assert.Throws<NotSupportedException>(() => quantizer.RequireTokens()).Message);
    }
}
