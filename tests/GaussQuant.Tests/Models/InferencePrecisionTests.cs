using GaussQuant.Models;
using GaussQuant.Quantization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

/// <summary>
/// bf16 inference (<see cref="Autoencoder.UsePrecision"/>) against float32, within budgets derived from bf16's unit
/// roundoff u = 2⁻⁸ (8 significand bits, round to nearest). A rounding's relative error is modelled as uniform on
/// [−u, u], standard deviation u/√3, independent between roundings (the probabilistic model of
/// <see cref="Float32ErrorBound"/>); float32 accumulation (2⁻²⁴) is negligible beside it.
/// </summary>
public class InferencePrecisionTests
{
    private const double BFloat16UnitRoundoff = 1.0 / 256;

    private static readonly UNetOptions Small = new()
    {
        Channels = 32, ChannelMultipliers = [1, 2], ResBlocksPerLevel = 1, AttentionResolutions = [8], Resolution = 16,
        LatentChannels = 8,
    };

    /// <summary>Two models with the same random weights: one left in float32, one put into bf16.</summary>
    private sealed class Twins : IDisposable
    {
        public Twins()
        {
            manual_seed(7);
            Reference = new Autoencoder(Small, Small, new GaussianQuantizerOptions { CodebookDimension = 4, CodebookSize = 256 });
            Bf16 = new Autoencoder(Small, Small, new GaussianQuantizerOptions { CodebookDimension = 4, CodebookSize = 256 });
            Bf16.load_state_dict(Reference.state_dict());
            Reference.eval();
            Bf16.eval();
            Bf16.UsePrecision(InferencePrecision.Bf16);
        }

        public Autoencoder Reference { get; }

        public Autoencoder Bf16 { get; }

        public void Dispose()
        {
            Reference.Dispose();
            Bf16.Dispose();
        }
    }

    [Fact]
    public void Bf16ConvertsTheNetworksButKeepsNormsAndOutputsInFloat32()
    {
        using var twins = new Twins();
        var model = twins.Bf16;
        Assert.Equal(InferencePrecision.Bf16, model.Precision);
        foreach (var (name, module) in model.Encoder.named_modules().Concat(model.Decoder.named_modules()))
        {
            var expected = module is GroupNorm ? ScalarType.Float32 : ScalarType.BFloat16;
            foreach (var (parameter, value) in module.named_parameters(recurse: false))
                Assert.True(value.dtype == expected, $"{name}.{parameter} is {value.dtype}, expected {expected}");
        }
        using var images = rand(2, 3, 16, 16).mul(2).sub(1);
        using var moments = model.EncodeMoments(images);
        using var decoded = model.Decode(moments.narrow(1, 0, 8));
        Assert.Equal(ScalarType.Float32, moments.dtype);
        Assert.Equal(ScalarType.Float32, decoded.dtype);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, decoded.shape);
    }

    /// <summary>
    /// A bf16 convolution rounds its input and its weights (relative error u each, so a term x·w is off by
    /// x·w·(δ + ε), standard deviation |x·w|·u·√(2/3)) and its output (u·|y|); the terms' errors are independent, so
    /// the output is off by at most λ·u·√(2/3)·√Σ(x·w)² + u·|y|, λ the confidence of <see cref="Float32ErrorBound"/>.
    /// </summary>
    [Fact]
    public void Bf16ConvolutionStaysWithinItsRoundingBudget()
    {
        manual_seed(3);
        using var conv = nn.Conv2d(64, 64, kernel_size: 3, padding: 1, bias: false);
        using var input = randn(1, 64, 12, 12);
        using var weight64 = conv.weight!.detach().to(ScalarType.Float64);
        using var input64 = input.to(ScalarType.Float64);
        using var exact = nn.functional.conv2d(input64, weight64, padding: [1, 1]);
        using var termScale = nn.functional.conv2d(input64.square(), weight64.square(), padding: [1, 1]).sqrt();

        NetworkPrecision.Apply(conv, InferencePrecision.Bf16);
        using var output = conv.call(input.to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, output.dtype);
        using var error = (output.to(ScalarType.Float64) - exact).abs();
        double u = BFloat16UnitRoundoff;
        using var budget = termScale * (Float32ErrorBound.Confidence * u * Math.Sqrt(2.0 / 3)) + exact.abs() * u;
        Assert.True(error.le(budget).all().item<bool>(), $"largest error / budget {(error / budget).max().item<double>():F3}");
        // Not float32 in disguise: bf16 rounding leaves a visible error.
        Assert.True((error / termScale).mean().item<double>() > Float32ErrorBound.UnitRoundoff * 100);
    }

    /// <summary>
    /// Through the encoder every value is rounded to bf16 a few times per convolution (the convolution's input, its
    /// weights, its output, and the norm and SiLU before it: at most 4), and normalisation keeps relative errors from
    /// growing between layers, so the moments' root-mean-square relative error is at most λ·(u/√3)·√(4·convolutions).
    /// The small encoder has 12 convolutions on its longest path (conv_in, 2 + 2 in the levels, the downsampler,
    /// 4 in the middle, conv_out) plus 4 in the attention block.
    /// </summary>
    [Fact]
    public void Bf16MomentsStayWithinTheBudgetOfTheEncodersDepth()
    {
        using var twins = new Twins();
        var (reference, model) = (twins.Reference, twins.Bf16);
        using var noGrad = no_grad();
        using var images = rand(4, 3, 16, 16).mul(2).sub(1);
        using var expected = reference.EncodeMoments(images);
        using var actual = model.EncodeMoments(images);
        double relative = (actual - expected).square().mean().sqrt().item<float>() / expected.square().mean().sqrt().item<float>();
        double budget = Float32ErrorBound.Confidence * BFloat16UnitRoundoff / Math.Sqrt(3) * Math.Sqrt(4 * 16);
        Assert.InRange(relative, Float32ErrorBound.UnitRoundoff * 100, budget);
    }

    [Fact]
    public void Bf16DecodesTokensThroughTheFloat32Codebook()
    {
        using var twins = new Twins();
        var model = twins.Bf16;
        using var images = rand(2, 3, 16, 16).mul(2).sub(1);
        using var latent = model.Quantize(images);
        Assert.Equal(ScalarType.Float32, latent.Quantized.dtype);
        using var fromTokens = model.DecodeTokens(latent.Indices);
        using var fromLatent = model.Decode(latent.Quantized);
        Assert.True(fromTokens.equal(fromLatent).all().item<bool>());
    }
}
