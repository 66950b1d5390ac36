using GaussQuant.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>
/// The exact (float64) result of a PatchGAN discriminator's forward pass and, element by element, the standard
/// deviation of the error of a float32 evaluation of it: the probabilistic error budget (see
/// <see cref="Float32ErrorBound"/>) behind the discriminator tests' tolerances.
/// </summary>
/// <remarks>
/// Errors are carried layer by layer to first order as independent variables, by their standard deviation s. A
/// convolution of n = C·k·k terms adds √n·u·(|W|·|x| + |b|) of its own and passes √(W²·s²) on; oneDNN's direct and
/// GEMM convolutions are sums in some order (Winograd, whose error is larger, is used for 3×3 kernels only; these are
/// 4×4). LeakyReLU is 1-Lipschitz and rounds its product. ActNorm's first training forward is where errors grow: it
/// sets loc = −μ and scale = 1/σ from the batch, so the input's errors come out divided by σ, and σ itself carries
/// them (by √(Σ(x−μ)²s²)/((N−1)σ), to first order). The standard deviations of the stored loc and scale are kept, so
/// that a later forward with the initialised ActNorm is budgeted too.
/// </remarks>
internal sealed class DiscriminatorForwardBound
{
    private const double ActNormStdEpsilon = 1e-6;
    private const double LeakySlope = 0.2;
    private const double U = Float32ErrorBound.UnitRoundoff;
    private readonly List<nn.Module> layers;
    private readonly Dictionary<int, (Tensor Loc, Tensor LocError, Tensor Scale, Tensor ScaleError)> actNorms = [];

    /// <param name="discriminator">Weights to budget, with every ActNorm still uninitialised.</param>
    public DiscriminatorForwardBound(NLayerDiscriminator discriminator)
    {
        var main = discriminator.named_children().Single(child => child.name == "main").module;
        layers = main.children().ToList();
        Assert.All(layers.OfType<ActNorm>(), norm => Assert.False(norm.IsInitialized));
    }

    /// <summary>The stored loc and scale of the ActNorm at <paramref name="index"/> in <c>main</c>, with their errors.</summary>
    public (Tensor Loc, Tensor LocError, Tensor Scale, Tensor ScaleError) ActNormAt(int index) => actNorms[index];

    /// <summary>A training-mode forward (the first one initialises every ActNorm): the exact output and its error's s.</summary>
    public (Tensor Exact, Tensor Error) Forward(Tensor input)
    {
        var x = input.to(float64);
        var s = zeros_like(x);
        for (int index = 0; index < layers.Count; index++)
        {
            (x, s) = layers[index] switch
            {
                Conv2d convolution => Convolution(convolution, x, s),
                LeakyReLU => Leaky(x, s),
                ActNorm => ActNormForward(index, x, s),
                var other => throw new NotSupportedException($"no error budget for {other.GetType().Name}"),
            };
        }
        return (x, s);
    }

    private static (Tensor, Tensor) Convolution(Conv2d convolution, Tensor x, Tensor s)
    {
        var weight = convolution.weight!.detach().to(float64);
        var bias = convolution.bias?.detach().to(float64);
        long terms = TensorAssert.FanIn(convolution) + (bias is null ? 0 : 1);
        Tensor Apply(Tensor input, Tensor w, Tensor? b) => nn.functional.conv2d(input, w, b, convolution.stride, convolution.padding);

        var y = Apply(x, weight, bias);
        var carried = Apply(s.square(), weight.square(), null);
        var rounding = Float32ErrorBound.RandomRounding(terms) * Apply(x.abs(), weight.abs(), bias?.abs());
        return (y, (carried + rounding.square()).sqrt());
    }

    private static (Tensor, Tensor) Leaky(Tensor x, Tensor s)
    {
        var y = nn.functional.leaky_relu(x, LeakySlope);
        return (y, (s.square() + (U * y).square()).sqrt());
    }

    private (Tensor, Tensor) ActNormForward(int index, Tensor x, Tensor s)
    {
        if (!actNorms.ContainsKey(index))
        {
            long channels = x.shape[1];
            var values = x.transpose(0, 1).reshape(channels, -1);
            var variances = s.transpose(0, 1).reshape(channels, -1).square();
            long count = values.shape[1];
            var mean = values.mean([1], keepdim: true);
            var std = values.std(1, unbiased: true, keepdim: true);
            var centred = values - mean;
            // The mean of N terms: the inputs' errors averaged, and the rounding of the sum.
            var meanError = (variances.sum([1], keepdim: true) / (count * count)
                + (Float32ErrorBound.RandomRounding(count) * values.abs().mean([1], keepdim: true)).square()).sqrt();
            // dσ = Σ(x−μ)·dx / ((N−1)σ) (the dμ terms cancel); the sum of squares and the square root round too.
            var stdError = ((centred.square() * variances).sum([1], keepdim: true) / ((count - 1) * std).square()
                + (Float32ErrorBound.RandomRounding(count + 2) * std).square()).sqrt();
            var scale = 1.0 / (std + ActNormStdEpsilon);
            // d(1/σ) = −dσ/σ², and the division rounds.
            var scaleError = (scale.square() * stdError).square().add((U * scale).square()).sqrt();
            actNorms[index] = (View(-mean), View(meanError), View(scale), View(scaleError));
        }
        var (loc, locError, scaleValue, scaleValueError) = actNorms[index];
        var shifted = x + loc;
        var output = scaleValue * shifted;
        // scale·(x + loc): the errors of x, loc and scale, one rounding for the sum and one for the product.
        var error = ((scaleValue * s).square() + (scaleValue * locError).square() + (shifted * scaleValueError).square()
            + 2 * (U * output).square()).sqrt();
        return (output, error);

        static Tensor View(Tensor perChannel) => perChannel.view(1, -1, 1, 1);
    }
}
