using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Quantization;

public class GaussianQuantizerTests
{
    private static GaussianQuantizer Create(GroupingVariant variant, int dimension, int size, int channels = 16,
        LatentLayout layout = LatentLayout.Bchw, bool straightThrough = true) =>
        new(new GaussianQuantizerOptions
        {
            Variant = variant, Layout = layout, CodebookDimension = dimension, CodebookSize = size, Seed = 7,
            UseStraightThrough = straightThrough,
        }, channels);

    /// <summary>Moments [B, 2c, h, w] with μ ~ N(0, 0.9²) and σ between about 0.2 and 0.6.</summary>
    private static Tensor Moments(long batch, int channels, long height, long width, long seed)
    {
        var generator = new Generator((ulong)seed);
        var mean = randn(new[] { batch, channels, height, width }, generator: generator).mul(0.9);
        var std = rand(new[] { batch, channels, height, width }, generator: generator).mul(0.4).add(0.2);
        return cat([mean, std.square().log()], 1);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void StridedGroupingPutsElementGOfCodebookKInChannelGTimesNPlusK(int codebooks)
    {
        int dimension = 16 / codebooks;
        using var quantizer = Create(GroupingVariant.Strided, dimension, 256);
        using var moments = Moments(2, 16, 3, 5, seed: codebooks);
        using var result = quantizer.Quantize(moments);
        Assert.Equal(new long[] { 2, codebooks, 3, 5 }, result.Indices.shape);
        var entries = quantizer.Codebook.Entries.Span;
        for (int b = 0; b < 2; b++)
        for (int y = 0; y < 3; y++)
        for (int x = 0; x < 5; x++)
        for (int k = 0; k < codebooks; k++)
        {
            long index = result.Indices[b, k, y, x].item<long>();
            for (int g = 0; g < dimension; g++)
                Assert.Equal(entries[(int)index * dimension + g], result.Quantized[b, g * codebooks + k, y, x].item<float>());
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ContiguousGroupingPutsCodebookKInChannelBlockK(int codebooks)
    {
        int dimension = 16 / codebooks;
        using var quantizer = Create(GroupingVariant.Contiguous, dimension, 256);
        using var moments = Moments(2, 16, 2, 3, seed: 10 + codebooks);
        using var result = quantizer.Quantize(moments);
        var entries = quantizer.Codebook.Entries.Span;
        for (int b = 0; b < 2; b++)
        for (int y = 0; y < 2; y++)
        for (int x = 0; x < 3; x++)
        for (int k = 0; k < codebooks; k++)
        {
            long index = result.Indices[b, k, y, x].item<long>();
            for (int g = 0; g < dimension; g++)
                Assert.Equal(entries[(int)index * dimension + g], result.Quantized[b, k * dimension + g, y, x].item<float>());
        }
    }

    [Theory]
    [InlineData(GroupingVariant.Strided, 4)]
    [InlineData(GroupingVariant.Contiguous, 8)]
    [InlineData(GroupingVariant.Strided, 16)]
    public void IndicesAreTheExactArgmaxOfEachGroup(GroupingVariant variant, int dimension)
    {
        using var quantizer = Create(variant, dimension, 512);
        using var moments = Moments(1, 16, 4, 4, seed: dimension);
        using var result = quantizer.Quantize(moments);
        int codebooks = 16 / dimension;
        var means = new float[16 * codebooks * dimension];
        var stds = new float[means.Length];
        var expectedOrder = new List<long>();
        int row = 0;
        for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
        for (int k = 0; k < codebooks; k++, row++)
        {
            for (int g = 0; g < dimension; g++)
            {
                int channel = variant == GroupingVariant.Strided ? g * codebooks + k : k * dimension + g;
                means[row * dimension + g] = moments[0, channel, y, x].item<float>();
                stds[row * dimension + g] = moments[0, 16 + channel, y, x].mul(0.5).exp().item<float>();
            }
            expectedOrder.Add(result.Indices[0, k, y, x].item<long>());
        }
        Assert.Equal(ExactSearch.ArgMax(quantizer.Codebook, means, stds, 1.0), expectedOrder);
    }

    [Theory]
    [InlineData(GroupingVariant.Strided, LatentLayout.Bchw)]
    [InlineData(GroupingVariant.Contiguous, LatentLayout.Bchw)]
    [InlineData(GroupingVariant.Strided, LatentLayout.Blc)]
    public void DequantizeGivesTheQuantizedLatentBack(GroupingVariant variant, LatentLayout layout)
    {
        using var quantizer = Create(variant, 4, 1024, layout: layout);
        using var bchw = Moments(3, 16, 4, 2, seed: 3);
        using var moments = layout == LatentLayout.Bchw ? bchw.alias() : bchw.flatten(2).transpose(1, 2).contiguous();
        using var result = quantizer.Quantize(moments);
        using var again = quantizer.Dequantize(result.Indices);
        Assert.Equal(result.Quantized.shape, again.shape);
        Assert.True(result.Quantized.equal(again).all().item<bool>());
    }

    [Fact]
    public void WorksForASingleRow()
    {
        using var quantizer = Create(GroupingVariant.Strided, 16, 4096);
        using var moments = Moments(1, 16, 1, 1, seed: 1);
        using var result = quantizer.Quantize(moments);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, result.Indices.shape);
        using var dequantized = quantizer.Dequantize(result.Indices);
        Assert.True(dequantized.equal(result.Quantized).all().item<bool>());
    }

    [Fact]
    public void KlInBitsMatchesAHandComputedValue()
    {
        // One position, one codebook of two channels: μ = (1, 0), log σ² = (0, ln 4).
        // KL per channel in nats: ½(μ² + σ² − 1 − log σ²) = ½ and ½(4 − 1 − ln 4) = 1.5 − ln 2.
        // In bits with the reference's 1.4426: 1.4426·(2 − ln 2).
        using var quantizer = new GaussianQuantizer(new GaussianQuantizerOptions { CodebookDimension = 2, CodebookSize = 4 }, 2);
        using var moments = tensor(new[] { 1f, 0f, 0f, (float)Math.Log(4) }, new long[] { 1, 4, 1, 1 });
        using var output = quantizer.TrainingStep(moments);
        double expected = 1.4426 * (2 - Math.Log(2));
        Assert.Equal(expected, output.Bits.Mean, 5);
        Assert.Equal(expected, output.Bits.Min, 5);
        Assert.Equal(expected, output.Bits.Max, 5);
        // Target log2 4 = 2 bits, band [1.5, 2.5]: 1.8426 lies inside, so the group weight is 1 and λ = 1.
        Assert.Equal(expected, output.KlLoss.item<float>(), 5);
    }

    [Fact]
    public void TrainingLossWeighsGroupsOutsideTheBandAndUpdatesTheWeights()
    {
        using var quantizer = Create(GroupingVariant.Strided, 4, 16, channels: 8);
        quantizer.Weights = new AdaptiveKlWeights(2.0, 0.25, 3.0);
        // Two images, one position, two codebooks of 4 channels; μ picks each group's KL.
        var means = new[] { 2.0f, 0.1f, 2.0f, 0.1f, 2.0f, 0.1f, 2.0f, 0.1f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f };
        using var mean = tensor(means, new long[] { 2, 8, 1, 1 });
        using var moments = cat([mean, zeros(2, 8, 1, 1)], 1);
        using var output = quantizer.TrainingStep(moments);
        // Strided: codebook 0 = channels 0,2,4,6; codebook 1 = channels 1,3,5,7. KL bits = 1.4426·½·Σ μ².
        double high = 1.4426 * 0.5 * 16, low = 1.4426 * 0.5 * 0.04, middle = 1.4426 * 0.5 * 4;
        // Target 4 bits, band [3.5, 4.5]: high 11.54 → λmax, low 0.03 → λmin, middle 2.885 → λmin.
        double expectedLoss = 2.0 * (3.0 * high + 0.25 * low + 0.25 * middle + 0.25 * middle) / 2;
        Assert.Equal(expectedLoss, output.KlLoss.item<float>(), 4);
        Assert.Equal(new AdaptiveKlWeights(2.0, 0.25, 3.0), output.WeightsUsed);
        Assert.Equal(quantizer.Weights, output.WeightsAfter);
        Assert.Equal(2.0 * 1.01, output.WeightsAfter.Lambda, 12);        // mean 4.13 > 4
        Assert.Equal(0.25 / 1.01, output.WeightsAfter.LambdaMin, 12);    // min below band
        Assert.Equal(3.0 * 1.01, output.WeightsAfter.LambdaMax, 12);     // max above band
    }

    [Fact]
    public void ContiguousLossIsTheMeanOverGroups()
    {
        using var quantizer = Create(GroupingVariant.Contiguous, 4, 16, channels: 8);
        using var moments = cat([full(new long[] { 2, 8, 3, 3 }, 0.5f), zeros(2, 8, 3, 3)], 1);
        using var output = quantizer.TrainingStep(moments);
        double perGroup = 1.4426 * 0.5 * 4 * 0.25;   // 0.72 bits, below the band: weight λmin = 1 at start
        Assert.Equal(perGroup, output.KlLoss.item<float>(), 5);
    }

    [Fact]
    public void StraightThroughTrainingLatentHasTheQuantizedValueAndTheSampleGradient()
    {
        using var quantizer = Create(GroupingVariant.Contiguous, 4, 64, channels: 8);
        using var moments = Moments(1, 8, 2, 2, seed: 4).requires_grad_(true);
        using var output = quantizer.TrainingStep(moments);
        using var quantized = quantizer.Quantize(moments.detach());
        // z + (q − z) rounds twice: within 2u·(|q| + |z|) of q.
        double budget = 2 * Float32ErrorBound.UnitRoundoff * (quantized.Quantized.abs().max().item<float>() + moments.abs().max().item<float>());
        Assert.True(output.Latent.allclose(quantized.Quantized, rtol: 0, atol: budget));
        output.Latent.sum().backward();
        Assert.NotNull(moments.grad);
        Assert.True(moments.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void StridedTrainingLatentIsASampleAroundTheMean()
    {
        using var quantizer = Create(GroupingVariant.Strided, 16, 64);
        var mean = full(new long[] { 4, 16, 8, 8 }, 0.3f);
        using var moments = cat([mean, full(new long[] { 4, 16, 8, 8 }, (float)Math.Log(0.01))], 1);
        using var output = quantizer.TrainingStep(moments, new Generator(5));
        Assert.Equal(0.3, output.Latent.mean().item<float>(), 2);
        Assert.Equal(0.1, output.Latent.std().item<float>(), 2);
    }

    [Fact]
    public void LogVarianceIsClampedToTheConfiguredRange()
    {
        using var quantizer = new GaussianQuantizer(new GaussianQuantizerOptions
        {
            CodebookDimension = 1, CodebookSize = 2, LogVarianceRange = (-1, 1),
        }, 1);
        using var moments = tensor(new[] { 0f, 50f }, new long[] { 1, 2, 1, 1 });
        using var output = quantizer.TrainingStep(moments);
        // Clamped to 1: ½(e − 1 − 1) nats.
        Assert.Equal(1.4426 * 0.5 * (Math.E - 2), output.Bits.Mean, 4);
    }

    [Fact]
    public void BadArgumentsGiveClearErrors()
    {
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() =>
            new GaussianQuantizer(new GaussianQuantizerOptions { CodebookSize = 1000, CodebookDimension = 4 }, 16)).Message);
        Assert.Contains("multiple of the codebook dimension", Assert.Throws<ArgumentException>(() =>
            new GaussianQuantizer(new GaussianQuantizerOptions { CodebookSize = 16, CodebookDimension = 5 }, 16)).Message);

        using var quantizer = Create(GroupingVariant.Strided, 4, 16);
        using var wrongChannels = zeros(1, 12, 2, 2);
        Assert.Contains("multiple of the codebook dimension", Assert.Throws<ArgumentException>(() => quantizer.Quantize(wrongChannels)).Message);
        using var otherModel = zeros(1, 24, 2, 2);
        Assert.Contains("built for 16 latent channels", Assert.Throws<ArgumentException>(() => quantizer.Quantize(otherModel)).Message);
        using var flat = zeros(32, 2);
        Assert.Contains("[B, 2c, h, w]", Assert.Throws<ArgumentException>(() => quantizer.Quantize(flat)).Message);
        using var outOfRange = full(new long[] { 1, 4, 2, 2 }, 16L);
        Assert.Contains("[0, 16)", Assert.Throws<ArgumentException>(() => quantizer.Dequantize(outOfRange)).Message);
        using var wrongCodebooks = zeros(new long[] { 1, 3, 2, 2 }, ScalarType.Int64);
        Assert.Contains("[B, 4, h, w]", Assert.Throws<ArgumentException>(() => quantizer.Dequantize(wrongCodebooks)).Message);
        using var floats = zeros(1, 4, 2, 2);
        Assert.Contains("integers", Assert.Throws<ArgumentException>(() => quantizer.Dequantize(floats)).Message);
        using var nan = full(new long[] { 1, 32, 1, 1 }, float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => quantizer.Quantize(nan)).Message);
    }
}
