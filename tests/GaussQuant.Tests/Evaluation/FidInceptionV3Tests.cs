using GaussQuant.Evaluation.Networks;
using GaussQuant.Tokens;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// The FID Inception network against our PyTorch port of pytorch-fid's InceptionV3([3]) on torchvision 0.14 blocks
/// (tools/fixtures/make_network_fixtures.py), with deterministic weights both sides generate from the tensor names.
/// </summary>
public class FidInceptionV3Tests : IClassFixture<FidInceptionV3Tests.Network>
{
    private readonly FidInceptionV3 inception;
    private readonly ITestOutputHelper output;

    public FidInceptionV3Tests(Network network, ITestOutputHelper output) => (inception, this.output) = (network.Inception, output);

    /// <summary>The network built once for the class (24 million weights to generate).</summary>
    public sealed class Network : IDisposable
    {
        public FidInceptionV3 Inception { get; }

        public Network()
        {
            var weights = DeterministicValues.StateDict(FidInceptionV3.RequiredWeights(), name => name);
            try { Inception = new FidInceptionV3(weights); }
            finally { foreach (var tensor in weights.Values) tensor.Dispose(); }
        }

        public void Dispose() => Inception.Dispose();
    }

    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var entry in EvaluationFixture.Cases("inception.json"))
            names.Add(entry.GetProperty("name").GetString()!);
        return names;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void FeaturesMatchTheReference(string caseName)
    {
        var cases = EvaluationFixture.Cases("inception.json");
        int firstRow = cases.TakeWhile(entry => entry.GetProperty("name").GetString() != caseName).Sum(entry => entry.GetProperty("rows").GetInt32());
        var entry = cases.Single(candidate => candidate.GetProperty("name").GetString() == caseName);
        int rows = entry.GetProperty("rows").GetInt32();

        using var scope = NewDisposeScope();
        var (_, images) = TestImage.NetworkPairs(entry.GetProperty("images"));
        var features = inception.Features(images);
        var all = NpyFile.Read(EvaluationFixture.Path("inception_features.npy"));
        var expected = tensor(all.ToArray<float>(), all.Shape).narrow(0, firstRow, rows);

        Assert.Equal(new long[] { rows, FidInceptionV3.FeatureDimension }, features.shape);
        TensorAssert.WithinNetworkBudget(expected, features, inception, $"{caseName} features", output);
    }

    [Fact]
    public void WeightFileExtrasAreIgnoredAndMissingTensorsNamed()
    {
        var required = FidInceptionV3.RequiredWeights();
        Assert.Contains("Mixed_7c.branch_pool.bn.running_var", required.Keys);
        Assert.DoesNotContain(required.Keys, name => name.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        var weights = required.ToDictionary(entry => entry.Key, entry => zeros(entry.Value));
        try
        {
            weights.Remove("Mixed_6b.branch7x7dbl_3.conv.weight", out var removed);
            removed!.Dispose();
            weights["fc.weight"] = zeros(1008, 2048);
            var error = Assert.Throws<InvalidDataException>(() => new FidInceptionV3(weights));
            Assert.Contains("1 of", error.Message);
            Assert.Contains("Mixed_6b.branch7x7dbl_3.conv.weight", error.Message);
            Assert.Contains("pt_inception-2015-12-05-6726825d.pth", error.Message);
        }
        finally { foreach (var tensor in weights.Values) tensor.Dispose(); }
    }

    [Fact]
    public void BadImagesAreRejected()
    {
        using var grey = zeros(1, 1, 64, 64);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => inception.Features(grey)).Message);
        using var infinite = full(1, 3, 64, 64, float.PositiveInfinity);
        Assert.Throws<ArgumentException>(() => inception.Features(infinite));
    }
}
