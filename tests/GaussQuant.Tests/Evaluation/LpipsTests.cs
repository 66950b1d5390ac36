using System.Text.RegularExpressions;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// LPIPS against our PyTorch port (tools/fixtures/make_network_fixtures.py) with deterministic weights that both
/// sides generate from the tensor names of the files users have (torchvision features.{i}.*, lpips lin{k}.model.1.weight).
/// </summary>
public partial class LpipsTests : IClassFixture<LpipsTests.Networks>
{
    private readonly Networks networks;

    public LpipsTests(Networks networks) => this.networks = networks;

    /// <summary>Both networks built once for the class (VGG16 alone has 14.7 million weights to generate).</summary>
    public sealed class Networks : IDisposable
    {
        public Lpips Alex { get; } = Build(LpipsNetwork.AlexNet);
        public Lpips Vgg { get; } = Build(LpipsNetwork.Vgg16);

        public Lpips Of(string name) => name == "alex" ? Alex : Vgg;

        public void Dispose()
        {
            Alex.Dispose();
            Vgg.Dispose();
        }
    }

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var entry in EvaluationFixture.Cases("lpips.json"))
            foreach (string net in new[] { "alex", "vgg" }.Where(net => entry.TryGetProperty(net, out _)))
                cases.Add(entry.GetProperty("name").GetString()!, net);
        return cases;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void DistancesMatchTheReference(string caseName, string net)
    {
        var entry = EvaluationFixture.Cases("lpips.json").Single(candidate => candidate.GetProperty("name").GetString() == caseName);
        using var scope = NewDisposeScope();
        var (originals, reconstructions) = TestImage.NetworkPairs(entry.GetProperty("pairs"));
        double[] distances = networks.Of(net).Distances(originals, reconstructions);
        double[] expected = entry.GetProperty(net).EnumerateArray().Select(value => value.GetDouble()).ToArray();
        Assert.Equal(expected.Length, distances.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = DistanceBudget(networks.Of(net), expected[i]);
            Assert.True(Math.Abs(expected[i] - distances[i]) <= tolerance,
                $"{caseName} {net} pair {i}: expected {expected[i]:R}, got {distances[i]:R} (budget {tolerance:E2})");
        }
    }

    /// <summary>
    /// The float32 budget of a distance d between two evaluations: LPIPS sums w·(f̂₁ − f̂₂)² over unit-normalised
    /// features, so feature errors of relative size β (the backbone's budget, see TensorAssert) change d by at most
    /// 2β·Σ w·|f̂₁ − f̂₂|·|f̂| ≤ 2β·√(d·W), W = Σ over layers of the largest head weight (Cauchy–Schwarz, Σ_c f̂² = 1).
    /// </summary>
    private static double DistanceBudget(Lpips lpips, double distance)
    {
        double beta = Float32ErrorBound.TwoEvaluations(TensorAssert.SummedTerms(lpips));
        double headWeights = lpips.named_parameters().Where(parameter => parameter.name.StartsWith("lin", StringComparison.Ordinal))
            .Sum(parameter => parameter.parameter.max().item<float>());
        return 2 * beta * Math.Sqrt(distance * headWeights);
    }

    [Fact]
    public void VggGradientWithRespectToTheReconstructionMatchesTheReference()
    {
        var entry = EvaluationFixture.Cases("lpips.json").First();
        using var scope = NewDisposeScope();
        var (originals, reconstructions) = TestImage.NetworkPairs(entry.GetProperty("pairs"));
        var input = reconstructions.detach().requires_grad_(true);
        networks.Vgg.train();
        networks.Vgg.forward(originals, input).sum().backward();
        networks.Vgg.eval();

        var expected = NpyFile.Read(EvaluationFixture.Path("lpips_vgg_input_gradient.npy"));
        using var reference = tensor(expected.ToArray<float>(), expected.Shape);
        var gradient = input.grad!;
        double scale = reference.abs().max().item<float>();
        double largestError = (gradient - reference).abs().max().item<float>();
        // The backward pass sums as many terms again as the forward (transposed convolutions and the chain rule through
        // the same layers): the network budget of TensorAssert over 2·Σn terms.
        double tolerance = Float32ErrorBound.TwoEvaluations(2 * TensorAssert.SummedTerms(networks.Vgg)) * scale;
        Assert.True(largestError <= tolerance, $"gradient differs by up to {largestError:E2} (largest reference value {scale:E2}, budget {tolerance:E2})");
        Assert.All(networks.Vgg.parameters(), parameter => Assert.Null(parameter.grad));
    }

    [Fact]
    public void TrainingModeComputesTheSameDistance()
    {
        using var scope = NewDisposeScope();
        var image = EvaluationImages.ToSignedUnit(EvaluationImages.Synthetic("train-mode", 3, 48, 48), 3, 48, 48);
        var degraded = EvaluationImages.Degrade("blur", image, "train-mode");
        double[] evaluation = networks.Vgg.Distances(image, degraded);
        networks.Vgg.train();
        try
        {
            using var noGrad = no_grad();
            Assert.Equal(evaluation[0], networks.Vgg.forward(image, degraded).item<float>(), 6);
        }
        finally { networks.Vgg.eval(); }
    }

    [Fact]
    public void TrainingCheckpointLayoutLoadsTheSameWeights()
    {
        const string prefix = "loss.perceptual_loss.";
        var torchvision = TorchvisionBackbone(LpipsNetwork.AlexNet);
        var heads = DeterministicValues.StateDict(HeadShapes(LpipsNetwork.AlexNet), name => name);
        var checkpoint = Lpips.RequiredWeights(LpipsNetwork.AlexNet).ToDictionary(
            entry => prefix + entry.Key,
            entry => entry.Key.StartsWith("lin", StringComparison.Ordinal) ? heads[entry.Key] : torchvision[TorchvisionName(entry.Key)]);
        checkpoint[prefix + "scaling_layer.shift"] = tensor(new float[] { -0.030f, -0.088f, -0.188f }, [1, 3, 1, 1]);
        checkpoint[prefix + "scaling_layer.scale"] = tensor(new float[] { 0.458f, 0.448f, 0.450f }, [1, 3, 1, 1]);
        checkpoint["decoder.conv_out.weight"] = zeros(3, 128, 3, 3);
        try
        {
            using var fromCheckpoint = new Lpips(LpipsNetwork.AlexNet, checkpoint, checkpoint);
            AssertSameAsTorchvisionLayout(fromCheckpoint);
        }
        finally
        {
            foreach (var weights in new[] { torchvision, heads, checkpoint })
                foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void ImagesTooSmallForTheBackboneAreRejected()
    {
        using var small = zeros(1, 3, 30, 64);
        Assert.Contains("at least 31×31", Assert.Throws<ArgumentException>(() => networks.Alex.Distances(small, small)).Message);
        using var enough = zeros(1, 3, 16, 16);
        Assert.Single(networks.Vgg.Distances(enough, enough));
        using var grey = zeros(1, 1, 64, 64);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => networks.Vgg.Distances(grey, grey)).Message);
    }

    [Fact]
    public void HeadsListedUnderTheLpipsPackageModuleListLoad()
    {
        var backbone = TorchvisionBackbone(LpipsNetwork.AlexNet);
        var heads = DeterministicValues.StateDict(HeadShapes(LpipsNetwork.AlexNet), name => name);
        var listed = heads.ToDictionary(entry => "lins." + entry.Key["lin".Length..], entry => entry.Value);
        try
        {
            using var network = new Lpips(LpipsNetwork.AlexNet, backbone, listed);
            AssertSameAsTorchvisionLayout(network);
        }
        finally
        {
            foreach (var tensor in backbone.Values.Concat(heads.Values)) tensor.Dispose();
        }
    }

    [Fact]
    public void MissingOrMisshapenWeightsAreReportedByName()
    {
        var backbone = TorchvisionBackbone(LpipsNetwork.AlexNet);
        var heads = DeterministicValues.StateDict(HeadShapes(LpipsNetwork.AlexNet), name => name);
        try
        {
            backbone.Remove("features.8.bias", out var removed);
            removed!.Dispose();
            heads.Remove("lin3.model.1.weight", out removed);
            removed!.Dispose();
            var error = Assert.Throws<InvalidDataException>(() => new Lpips(LpipsNetwork.AlexNet, backbone, heads));
            Assert.Contains("net.slice4.8.bias", error.Message);
            Assert.Contains("alexnet-owt-7be5be79.pth", error.Message);

            backbone["features.8.bias"] = zeros(255);
            error = Assert.Throws<InvalidDataException>(() => new Lpips(LpipsNetwork.AlexNet, backbone, heads));
            Assert.Contains("'features.8.bias' has shape [255], expected [256]", error.Message);

            backbone["features.8.bias"] = zeros(256);
            error = Assert.Throws<InvalidDataException>(() => new Lpips(LpipsNetwork.AlexNet, backbone, heads));
            Assert.Contains("head weights: 1 of 5 tensors are missing, e.g. lin3.model.1.weight", error.Message);
        }
        finally
        {
            foreach (var tensor in backbone.Values.Concat(heads.Values)) tensor.Dispose();
        }
    }

    /// <summary>The network gives the class's AlexNet (loaded from torchvision-layout weights) distances on a test pair.</summary>
    private void AssertSameAsTorchvisionLayout(Lpips network)
    {
        using var scope = NewDisposeScope();
        var image = EvaluationImages.ToSignedUnit(EvaluationImages.Synthetic("layout", 3, 64, 64), 3, 64, 64);
        var degraded = EvaluationImages.Degrade("blur+noise", image, "layout");
        Assert.Equal(networks.Alex.Distances(image, degraded)[0], network.Distances(image, degraded)[0], 12);
    }

    private static Lpips Build(LpipsNetwork network)
    {
        var backbone = TorchvisionBackbone(network);
        var heads = DeterministicValues.StateDict(HeadShapes(network), name => name);
        try { return new Lpips(network, backbone, heads); }
        finally
        {
            foreach (var tensor in backbone.Values.Concat(heads.Values)) tensor.Dispose();
        }
    }

    /// <summary>Backbone weights under torchvision's names, seeded by those names as the fixture script does.</summary>
    internal static Dictionary<string, Tensor> TorchvisionBackbone(LpipsNetwork network) => DeterministicValues.StateDict(
        Lpips.RequiredWeights(network).Where(entry => entry.Key.StartsWith("net.", StringComparison.Ordinal)).ToDictionary(),
        TorchvisionName);

    internal static Dictionary<string, long[]> HeadShapes(LpipsNetwork network) =>
        Lpips.RequiredWeights(network).Where(entry => entry.Key.StartsWith("lin", StringComparison.Ordinal)).ToDictionary();

    private static string TorchvisionName(string name) => SliceName().Replace(name, "features.");

    [GeneratedRegex(@"^net\.slice\d\.")]
    private static partial Regex SliceName();
}
