using System.Text.Json;
using System.Text.RegularExpressions;
using GaussQuant.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

public partial class NLayerDiscriminatorTests
{
    private static readonly NLayerDiscriminatorOptions SmallActNorm = new() { BaseChannels = 4, LayerCount = 3, UseActNorm = true };

    [SkippableFact]
    public void GqConfigurationHasTheReferenceKeysAndShapes()
    {
        string keyList = TestPaths.RequireShared("spec", "sd3unet_state_dict_keys.txt");
        var expected = new List<(string Name, long[] Shape, bool IsByte)>();
        foreach (string line in File.ReadLines(keyList))
        {
            var match = KeyLine().Match(line);
            if (match.Success)
                expected.Add((match.Groups["name"].Value, ParseShape(match.Groups["shape"].Value), match.Groups["dtype"].Value == "torch.uint8"));
        }
        Assert.Equal(34, expected.Count);

        // Built on the meta device: the 96M-parameter network needs names and shapes here, not memory.
        using var discriminator = new NLayerDiscriminator(new() { BaseChannels = 160, LayerCount = 6, UseActNorm = true }, device("meta"));
        var actual = discriminator.state_dict();
        // PyTorch lists each module's buffers right after its parameters, TorchSharp after all of them: compare as sets.
        Assert.Equal(expected.Select(e => e.Name).Order(), actual.Keys.Order());
        foreach (var (name, shape, isByte) in expected)
        {
            Assert.Equal(shape, actual[name].shape);
            Assert.Equal(isByte ? ScalarType.Byte : ScalarType.Float32, actual[name].dtype);
        }
        // The spec's count, 95,892,967, is of state-dict elements: the parameters plus the six uint8 flags.
        Assert.Equal(95_892_961L, discriminator.parameters().Sum(p => p.numel()));
        Assert.Equal(95_892_967L, actual.Values.Sum(t => t.numel()));
    }

    [Theory]
    [InlineData("actnorm_ndf4_layers3", true)]
    [InlineData("batchnorm_ndf4_layers3", false)]
    public void SmallConfigurationsHaveTheReferenceKeysShapesAndTypes(string variant, bool useActNorm)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(LossFixtures.Path("discriminator_keys.json")));
        var expected = json.RootElement.GetProperty(variant).EnumerateArray()
            .Select(entry => (Name: entry[0].GetString()!, Shape: entry[1].EnumerateArray().Select(side => side.GetInt64()).ToArray(),
                DType: entry[2].GetString()!))
            .ToList();

        using var discriminator = new NLayerDiscriminator(SmallActNorm with { UseActNorm = useActNorm });
        var actual = discriminator.state_dict();
        Assert.Equal(expected.Select(e => e.Name).Order(), actual.Keys.Order());
        foreach (var (name, shape, dtype) in expected)
        {
            Assert.Equal(shape, actual[name].shape);
            Assert.Equal(dtype, actual[name].dtype switch
            {
                ScalarType.Float32 => "float32", ScalarType.Byte => "uint8", ScalarType.Int64 => "int64", var other => other.ToString(),
            });
        }
    }

    [Fact]
    public void FirstTrainingForwardInitializesActNormFromTheBatchLikeTheReference()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new NLayerDiscriminator(SmallActNorm);
        LossFixtures.LoadStrict(discriminator, LossFixtures.ReadWithPrefix("discriminator.safetensors", "initial."));
        var data = LossFixtures.ReadWithPrefix("discriminator.safetensors", "");
        // The reference and we are two float32 evaluations of the same maths, each within the error budget of the
        // exact result, on whatever CPUs: both are held to that budget (see DiscriminatorForwardBound).
        var budget = new DiscriminatorForwardBound(discriminator);
        discriminator.train();

        using (no_grad())
        {
            var (exactFirst, firstBound) = budget.Forward(data["input.first"]);
            var first = discriminator.forward(data["input.first"]);
            AssertWithinBudget(first, data["logits.first"], exactFirst, firstBound, "logits of the first forward");

            var initialized = discriminator.state_dict();
            foreach (int index in new[] { 3, 6, 9 })
            {
                var (loc, locBound, scale, scaleBound) = budget.ActNormAt(index);
                AssertWithinBudget(initialized[$"main.{index}.loc"], data[$"after.main.{index}.loc"], loc, locBound, $"main.{index}.loc");
                AssertWithinBudget(initialized[$"main.{index}.scale"], data[$"after.main.{index}.scale"], scale, scaleBound, $"main.{index}.scale");
            }

            // Initialised once: the next batch and eval mode use the stored loc/scale.
            var (exactSecond, secondBound) = budget.Forward(data["input.second"]);
            var second = discriminator.forward(data["input.second"]);
            AssertWithinBudget(second, data["logits.second"], exactSecond, secondBound, "logits of the second forward");
            discriminator.eval();
            Assert.True(discriminator.forward(data["input.second"]).equal(second).all().item<bool>());
        }
    }

    /// <summary>
    /// Ours within λ standard deviations of the float32 error from the exact result, and within √2·λ of the reference
    /// (another float32 evaluation, on whatever CPU wrote the fixture).
    /// </summary>
    private static void AssertWithinBudget(Tensor ours, Tensor reference, Tensor exact, Tensor error, string what)
    {
        Assert.Equal(reference.shape, ours.shape);
        var budget = Float32ErrorBound.Confidence * error;
        var fromExact = (ours.to(float64) - exact).abs() / budget;
        var fromReference = (ours.to(float64) - reference.to(float64)).abs() / (Math.Sqrt(2) * budget);
        Assert.True(fromExact.max().item<double>() <= 1, $"{what}: {fromExact.max().item<double>():F2}× the float32 error budget away from the exact result");
        Assert.True(fromReference.max().item<double>() <= 1, $"{what}: {fromReference.max().item<double>():F2}× the budget away from the reference");
    }

    [Fact]
    public void EvalModeLeavesActNormUninitialized()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new NLayerDiscriminator(SmallActNorm);
        discriminator.eval();
        using (no_grad())
            discriminator.forward(rand(2, 3, 32, 32));
        Assert.All(discriminator.modules().OfType<ActNorm>(), norm => Assert.False(norm.IsInitialized));
    }

    [Fact]
    public void InitializeWeightsFollowsTheReferenceWeightsInit()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new NLayerDiscriminator(new() { BaseChannels = 16, LayerCount = 3, UseActNorm = false });
        discriminator.InitializeWeights(new Generator(7));
        var convolutions = discriminator.modules().OfType<Conv2d>().ToList();
        Assert.Equal(5, convolutions.Count);
        foreach (var convolution in convolutions.Where(c => c.weight!.numel() > 10_000))
        {
            Assert.InRange(convolution.weight!.std().item<float>(), 0.019, 0.021);
            Assert.InRange(convolution.weight!.mean().item<float>(), -0.002, 0.002);
        }
        // Biases keep PyTorch's default: uniform within ±1/√fan_in.
        var firstBias = convolutions[0].bias!;
        // + 1e-7: the float32 rounding of a bound of 0.144 (u·0.144 ≈ 9e-9, with margin).
        Assert.True(firstBias.abs().max().item<float>() <= 1 / Math.Sqrt(3 * 16) + 1e-7);
        Assert.True(firstBias.abs().max().item<float>() > 0.02);
        foreach (var norm in discriminator.modules().OfType<BatchNorm2d>())
        {
            // N(1, 0.02) over few channels: allow five standard errors of the mean.
            var tolerance = 5 * 0.02 / Math.Sqrt(norm.weight!.numel());
            Assert.InRange(norm.weight!.mean().item<float>(), 1 - tolerance, 1 + tolerance);
            Assert.InRange(norm.weight!.std().item<float>(), 0.01, 0.03);
            Assert.Equal(0f, norm.bias!.abs().max().item<float>());
        }
        Assert.All(convolutions.Skip(1).Take(3), convolution => Assert.Null(convolution.bias));
    }

    [Fact]
    public void InitializeWeightsIsReproducibleFromTheGenerator()
    {
        using var scope = NewDisposeScope();
        var options = new NLayerDiscriminatorOptions { BaseChannels = 8, LayerCount = 2, UseActNorm = false };
        using var first = new NLayerDiscriminator(options);
        using var second = new NLayerDiscriminator(options);
        first.InitializeWeights(new Generator(11));
        second.InitializeWeights(new Generator(11));
        foreach (var ((name, a), (_, b)) in first.named_parameters().Zip(second.named_parameters()))
        {
            if (name.EndsWith("bias")) continue; // biases keep PyTorch's unseeded default
            Assert.True(a.equal(b).all().item<bool>(), name);
        }
    }

    [Fact]
    public void MovesWithItsParametersAndBuffers()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new NLayerDiscriminator(SmallActNorm);
        var input = rand(2, 3, 32, 32, generator: new Generator(3));
        var budget = new DiscriminatorForwardBound(discriminator);
        discriminator.train();
        using var noGrad = no_grad();
        var (exact, error) = budget.Forward(input);
        var single = discriminator.forward(input);
        Assert.True(((single.to(float64) - exact).abs() <= Float32ErrorBound.Confidence * error).all().item<bool>(),
            "float32 forward outside its error budget");
        discriminator.to(float64);
        var twice = discriminator.forward(input.to(float64));
        Assert.Equal(ScalarType.Float64, twice.dtype);
        // ActNorm was initialised by the float32 forward: its loc and scale are float32 roundings of the exact ones,
        // and the float64 forward inherits their error (within the float32 budget), not the float32 sums' error.
        Assert.True(((twice - exact).abs() <= Float32ErrorBound.Confidence * error).all().item<bool>(),
            "float64 forward outside the budget of the float32 initialisation");
    }

    [Fact]
    public void RejectsImpossibleOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NLayerDiscriminator(SmallActNorm with { LayerCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NLayerDiscriminator(SmallActNorm with { BaseChannels = 0 }));
    }

    private static long[] ParseShape(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();

    [GeneratedRegex(@"^loss\.discriminator\.(?<name>\S+) \((?<shape>[^)]*)\)\s*(?<dtype>\S*)")]
    private static partial Regex KeyLine();
}
