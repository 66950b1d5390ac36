using System.Text.Json;
using GaussQuant.Checkpoints;
using GaussQuant.Nn.Dinov2;
using GaussQuant.Tests.Nn;
using GaussQuant.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>
/// The VF-alignment loss and its adaptive weight against the reference written from GQ_SPEC §4.5
/// (tests/fixtures/vf/vf_cases.*, tools/fixtures/make_vf_fixtures.py), with the fixture's small DINOv2.
/// </summary>
/// <remarks>
/// Tolerances, from the probabilistic float32 model of <see cref="Float32ErrorBound"/>. Each similarity entry (and each
/// per-position cosine) sums unit-normalised products over E = 64 channels, normalisation included: an error of
/// standard deviation √(2E)·u (|S| ≤ 1). The loss averages n of them (n = B·256² entries, B·256 cosines, the smaller
/// counts), and independent errors average down by √n; the mean itself is LibTorch's cascade summation on both sides,
/// whose error grows with log₂ n. Relative to a loss of at least 0.25 (×4): two evaluations differ by at most
/// 4·TwoEvaluations(2E)/√n + TwoEvaluations(log₂ n), 3e-6 here, within the 1e-5. A gradient entry sums, besides
/// its channels, over the 256 positions it is compared with: TwoEvaluations(2E + 256) of the largest entry. Through
/// DINOv2 (the adaptive case) the features add their own budget (<see cref="Dinov2ParityTests"/>: 2.3e-5 of the largest
/// feature) in both similarity matrices and the cosine, four times over in the worst case.
/// </remarks>
public class VfAlignmentLossTests(ITestOutputHelper output)
{
    private const double LossTolerance = 1e-5;
    private const int Channels = 64, Tokens = 256;

    [Theory]
    [InlineData("reverse", true)]
    [InlineData("forward", false)]
    public void LossAndLatentGradientMatchTheReference(string direction, bool reverse)
    {
        var cases = SafetensorsFile.Read(Dinov2Fixtures.Path("vf_cases.safetensors"));
        var expected = Record().GetProperty(direction);
        try
        {
            using var foundation = Dinov2Weights.Load(Dinov2Fixtures.Path("dinov2_timm.safetensors"), heads: Dinov2Fixtures.Heads);
            var options = new VfAlignmentOptions
            {
                ReverseProjection = reverse,
                DistanceMatrixMargin = expected.GetProperty("distmat_margin").GetDouble(),
                CosineMargin = expected.GetProperty("cos_margin").GetDouble(),
            };
            using var loss = new VfAlignmentLoss(options, foundation, latentChannels: 4);
            var projection = cases.Where(pair => pair.Key.StartsWith(direction + ".", StringComparison.Ordinal) && !pair.Key.EndsWith("grad", StringComparison.Ordinal))
                .ToDictionary(pair => "linear_proj." + pair.Key[(direction.Length + 1)..], pair => pair.Value);
            ModuleWeights.LoadInto(loss, projection, "vf_cases.safetensors");

            using var latent = cases["latent"].clone().requires_grad_(true);
            var terms = loss.Compute(latent, cases["features"]);
            double budget = LossBudget(cases["features"].shape[0]);
            Assert.True(budget <= LossTolerance, $"the float32 budget {budget:E2} exceeds the issue's {LossTolerance}");
            AssertRelative(expected.GetProperty("vf").GetDouble(), terms.Loss.item<float>(), budget, "vf");
            AssertRelative(expected.GetProperty("distmat").GetDouble(), terms.DistanceMatrix.item<float>(), budget, "vf distmat term");
            AssertRelative(expected.GetProperty("cos").GetDouble(), terms.Cosine.item<float>(), budget, "vf cosine term");

            terms.Loss.backward();
            var expectedGradient = cases[$"{direction}.latent_grad"];
            double gradientBudget = Float32ErrorBound.TwoEvaluations(2 * Channels + Tokens) * expectedGradient.abs().max().item<float>();
            TensorAssert.Close(expectedGradient, latent.grad!, gradientBudget, $"{direction}: ∂vf/∂z", output);
            Assert.Equal(reverse ? [64L, 4, 1, 1] : [4L, 64, 1, 1], loss.state_dict()["linear_proj.weight"].shape);
            Assert.Equal(!reverse, loss.state_dict().ContainsKey("linear_proj.bias"));
        }
        finally
        {
            foreach (var tensor in cases.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void FeaturesAreTheReferencesOfTheLossImage()
    {
        var cases = SafetensorsFile.Read(Dinov2Fixtures.Path("vf_cases.safetensors"));
        try
        {
            using var foundation = Dinov2Weights.Load(Dinov2Fixtures.Path("dinov2_timm.safetensors"), heads: Dinov2Fixtures.Heads);
            using var features = foundation.AlignmentFeatures(cases["image"]);
            TensorAssert.Close(cases["features"], features, FeatureBudget() * cases["features"].abs().max().item<float>(), "VF features", output);
        }
        finally
        {
            foreach (var tensor in cases.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void TheAdaptiveWeightBalancesTheGradientsAtTheEncodersLastLayer()
    {
        var expected = Record().GetProperty("adaptive");
        using var aligned = new AlignedTinyAutoencoder(adaptive: true);
        var result = aligned.Generator();
        double tolerance = 4 * FeatureBudget() + LossBudget(2);
        AssertRelative(expected.GetProperty("nll").GetDouble(), result.Nll, tolerance, "nll");
        AssertRelative(expected.GetProperty("vf").GetDouble(), result.Alignment!.Loss, tolerance, "vf");
        // The weight is a ratio of two gradient norms, each carrying the error of its loss.
        AssertRelative(expected.GetProperty("vf_weight").GetDouble(), result.Alignment.Weight, 2 * tolerance, "adaptive vf weight");
        AssertRelative(expected.GetProperty("total").GetDouble(), result.TotalValue, 2 * tolerance, "total");
        result.Total.Dispose();

        aligned.Objective.eval();
        var evaluation = aligned.Generator();
        Assert.Equal(0, evaluation.Alignment!.Weight); // the reference's fallback outside training
        evaluation.Total.Dispose();
    }

    [Fact]
    public void AFixedWeightIsTheConfiguredOneInTrainingAndEvaluation()
    {
        using var aligned = new AlignedTinyAutoencoder(adaptive: false);
        foreach (bool training in new[] { true, false })
        {
            aligned.Objective.train(training);
            var result = aligned.Generator();
            Assert.Equal(0.2, result.Alignment!.Weight, 1e-7);
            // In evaluation the reference also runs the adversarial term. Summed in float32: a few ulps of the ~270 total.
            Assert.Equal(result.Nll + result.AdaptiveWeight * result.Generator + 0.2 * result.Alignment.Loss, result.TotalValue,
                270 * 4 * Float32ErrorBound.UnitRoundoff * 4);
            result.Total.Dispose();
        }
    }

    [Fact]
    public void AConfiguredAlignmentNeedsItsLoss()
    {
        var options = new AutoencoderLossOptions { PerceptualWeight = 0, Alignment = new VfAlignmentOptions() };
        var error = Assert.Throws<ArgumentException>(() => new AutoencoderLoss(options));
        Assert.Contains("use_vf", error.Message);
    }

    /// <summary>
    /// The fixture's stand-in autoencoder (its weights from vf_cases.safetensors) with a loss aligned to the small DINOv2
    /// (reverse projection, vf_weight 0.2), and the 16×16 images of the adaptive case.
    /// </summary>
    private sealed class AlignedTinyAutoencoder : IDisposable
    {
        private readonly Dinov2VisionTransformer foundation;
        private readonly VfAlignmentLoss alignment;
        private readonly TinyAutoencoder autoencoder = new();
        private readonly Tensor images = Dinov2Fixtures.Pattern(2, 16, 16, phase: 1.7);

        public AlignedTinyAutoencoder(bool adaptive)
        {
            foundation = Dinov2Weights.Load(Dinov2Fixtures.Path("dinov2_timm.safetensors"), heads: Dinov2Fixtures.Heads);
            var vf = new VfAlignmentOptions { ReverseProjection = true, Weight = 0.2, Adaptive = adaptive };
            alignment = new VfAlignmentLoss(vf, foundation, latentChannels: 4);
            var cases = SafetensorsFile.Read(Dinov2Fixtures.Path("vf_cases.safetensors"));
            try
            {
                ModuleWeights.LoadInto(alignment, new Dictionary<string, Tensor> { ["linear_proj.weight"] = cases["reverse.weight"] }, "vf_cases.safetensors");
                var weights = cases.Where(pair => pair.Key.StartsWith("autoencoder.", StringComparison.Ordinal) && !pair.Key.EndsWith("features", StringComparison.Ordinal))
                    .ToDictionary(pair => pair.Key["autoencoder.".Length..], pair => pair.Value);
                ModuleWeights.LoadInto(autoencoder, weights, "vf_cases.safetensors");
            }
            finally
            {
                foreach (var tensor in cases.Values) tensor.Dispose();
            }
            Objective = new AutoencoderLoss(new AutoencoderLossOptions
            {
                PerceptualWeight = 0, DiscriminatorStart = 1000, Alignment = vf,
                Discriminator = new NLayerDiscriminatorOptions { BaseChannels = 4, LayerCount = 2 }, // runs in eval mode: 16×16 images fit two layers
            }, alignment: alignment);
            Objective.train();
        }

        public AutoencoderLoss Objective { get; }

        public GeneratorLossResult Generator()
        {
            using var scope = NewDisposeScope();
            var latent = autoencoder.Encode(images);
            var result = Objective.ComputeGeneratorLoss(images, autoencoder.Decode(latent), new Dictionary<string, Tensor>(), 0,
                autoencoder.LastLayerWeight, latent: latent, encoderLastLayerWeight: autoencoder.EncoderLastLayerWeight);
            result.Total.MoveToOuterDisposeScope();
            return result;
        }

        public void Dispose()
        {
            Objective.Dispose();
            alignment.Dispose();
            foundation.Dispose();
            autoencoder.Dispose();
            images.Dispose();
        }
    }

    /// <summary>See the remarks: entries over 2E summed terms averaged over the B·256 cosines (against a loss ≥ 0.25), then a cascade mean.</summary>
    private static double LossBudget(long batch) =>
        4 * Float32ErrorBound.TwoEvaluations(2 * Channels) / Math.Sqrt(batch * Tokens)
        + Float32ErrorBound.TwoEvaluations((long)Math.Ceiling(Math.Log2(batch * Tokens * Tokens)));

    /// <summary>The fixture DINOv2's feature budget relative to its largest feature (the terms of <see cref="Dinov2ParityTests"/>).</summary>
    private static double FeatureBudget()
    {
        using var foundation = Dinov2Weights.Load(Dinov2Fixtures.Path("dinov2_timm.safetensors"), heads: Dinov2Fixtures.Heads);
        var options = foundation.Options;
        long terms = TensorAssert.SummedTerms(foundation) + options.Depth * (options.EmbeddingDimension / Dinov2Fixtures.Heads + options.PrefixTokens + 256);
        return Float32ErrorBound.TwoEvaluations(terms);
    }

    private void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        output.WriteLine($"{what}: expected {expected:R}, got {actual:R}, relative error {error:E2} (tolerance {tolerance:E2})");
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} > {tolerance:E2})");
    }

    private static JsonElement Record() => JsonDocument.Parse(File.ReadAllText(Dinov2Fixtures.Path("vf_cases.json"))).RootElement;
}
