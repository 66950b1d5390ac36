using GaussQuant.Nn.Dinov2;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

/// <summary>
/// Our DINOv2 against timm's (tests/fixtures/vf, tools/fixtures/make_vf_fixtures.py): timm's forward_features at the
/// trained grid's neighbour 224² and at 182×252 (a non-square resampling of the position embedding), and the authors'
/// VF preprocessing chain, for the same small weights in timm's and Hugging Face's layout, with and without registers.
/// </summary>
public class Dinov2ParityTests(ITestOutputHelper output)
{
    /// <summary>The bound on feature differences, relative to the features' scale; the float32 budget must stay under it.</summary>
    private const double FeatureTolerance = 1e-4;

    [Theory]
    [InlineData("dinov2_timm.safetensors", "plain")]
    [InlineData("dinov2_hf.bin", "plain")]
    [InlineData("dinov2_reg4_timm.safetensors", "reg4")]
    [InlineData("dinov2_reg4_hf.safetensors", "reg4")]
    public void FeaturesMatchTimm(string file, string model)
    {
        var cases = Dinov2Fixtures.Cases();
        try
        {
            using var dinov2 = Dinov2Weights.Load(Dinov2Fixtures.Path(file), heads: Dinov2Fixtures.Heads);
            using var square = Dinov2Fixtures.Pattern(2, 224, 224);
            using var oblong = Dinov2Fixtures.Pattern(2, 182, 252, phase: 0.3);
            using var small = Dinov2Fixtures.Pattern(2, 64, 96, phase: 0.7);
            using var noGrad = no_grad();
            using (var features = dinov2.ForwardFeatures(square))
                Within(cases[$"{model}.features_224"], features, dinov2, 16 * 16, $"{file}: forward_features 224²");
            using (var features = dinov2.ForwardFeatures(oblong))
                Within(cases[$"{model}.features_182x252"], features, dinov2, 13 * 18, $"{file}: forward_features 182×252");
            using (var features = dinov2.AlignmentFeatures(small))
                Within(cases[$"{model}.alignment_64x96"], features, dinov2, 16 * 16, $"{file}: VF features of 64×96 images");
        }
        finally
        {
            foreach (var tensor in cases.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void ViTgsSwiGluMlpMatchesTimm()
    {
        var cases = Dinov2Fixtures.Cases();
        try
        {
            using var dinov2 = Dinov2Weights.Load(Dinov2Fixtures.Path("dinov2_swiglu_timm.safetensors"), heads: Dinov2Fixtures.Heads);
            Assert.True(dinov2.Options.GatedMlp);
            Assert.Equal(256, dinov2.Options.MlpHiddenDimension);
            using var oblong = Dinov2Fixtures.Pattern(2, 182, 252, phase: 0.3);
            using var noGrad = no_grad();
            using var features = dinov2.ForwardFeatures(oblong);
            Within(cases["swiglu.features_182x252"], features, dinov2, 13 * 18, "SwiGLU DINOv2: forward_features 182×252");
        }
        finally
        {
            foreach (var tensor in cases.Values) tensor.Dispose();
        }
    }

    [Theory]
    [InlineData("dinov2_timm.safetensors", 0, true)]
    [InlineData("dinov2_hf.bin", 0, true)]
    [InlineData("dinov2_reg4_timm.safetensors", 4, false)]
    [InlineData("dinov2_reg4_hf.safetensors", 4, false)]
    public void SizesComeFromTheWeights(string file, int registers, bool embedsPrefix)
    {
        using var dinov2 = Dinov2Weights.Load(Dinov2Fixtures.Path(file));
        var options = dinov2.Options;
        Assert.Equal((64, 2, 14, 37, 256, registers, embedsPrefix), (options.EmbeddingDimension, options.Depth, options.PatchSize,
            options.PositionGrid, options.MlpHiddenDimension, options.RegisterTokens, options.EmbedsPrefixPositions));
        Assert.True(options.LayerScale);
        Assert.False(options.GatedMlp);
        Assert.Equal(1, options.Heads); // the DINOv2 rule, 64 channels a head, when no count is given
        Assert.All(dinov2.parameters(), parameter => Assert.False(parameter.requires_grad));
    }

    /// <summary>
    /// max |Δ| within the float32 budget of two evaluations (<see cref="Float32ErrorBound.TwoEvaluations"/>) of the
    /// terms one feature sums: every linear layer's and the patch convolution's fan-in (<see cref="TensorAssert.SummedTerms"/>),
    /// plus per block the attention's two products (q·k over a head's channels, softmax·v over the tokens), relative
    /// to the largest feature (the final LayerNorm keeps them of order one); and that budget within the 1e-4
    /// (relative: the features reach about 5).
    /// The resampled position embedding (bicubic, about ten taps a side) adds far fewer terms and is left out.
    /// </summary>
    private void Within(Tensor expected, Tensor actual, Dinov2VisionTransformer dinov2, long patches, string what)
    {
        var options = dinov2.Options;
        long tokens = options.PrefixTokens + patches;
        long terms = TensorAssert.SummedTerms(dinov2) + options.Depth * (options.EmbeddingDimension / Dinov2Fixtures.Heads + tokens);
        double relative = Float32ErrorBound.TwoEvaluations(terms), budget = relative * expected.abs().max().item<float>();
        output.WriteLine($"{what}: budget {budget:E2} ({relative:E2} of the largest feature) over {terms} terms");
        Assert.True(relative <= FeatureTolerance, $"{what}: the float32 budget {relative:E2} exceeds the issue's {FeatureTolerance}");
        TensorAssert.Close(expected, actual, budget, what, output);
    }
}
