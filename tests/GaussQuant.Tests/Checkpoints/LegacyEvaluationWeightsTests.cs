using System.Text.RegularExpressions;
using GaussQuant.Checkpoints;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Tests.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

/// <summary>
/// The pretrained files of LPIPS and rFID were published in the legacy format; small legacy files with their key
/// layouts (written by tools/fixtures/make_checkpoint_fixtures.py) load into the evaluation networks.
/// </summary>
public partial class LegacyEvaluationWeightsTests
{
    private static string Fixture(string name) => TestPaths.Fixture("checkpoints", name);

    [Fact]
    public void LpipsTakesLegacyHeadsAsTheLpipsPackageSavedThem()
    {
        using var heads = CheckpointLoader.Load(Fixture("legacy_lpips_alex_heads.pth"));
        Assert.Equal(LpipsTests.HeadShapes(LpipsNetwork.AlexNet).Keys.Order(), heads.Tensors.Keys.Order());
        foreach (var (key, loaded) in heads.Tensors)
        {
            using var expected = DeterministicValues.NetworkWeight(key, loaded.shape);
            Assert.Equal(expected.data<float>().ToArray(), loaded.data<float>().ToArray());
        }
        var backbone = LpipsTests.TorchvisionBackbone(LpipsNetwork.AlexNet);
        try
        {
            using var network = new Lpips(LpipsNetwork.AlexNet, backbone, heads.Tensors);
            using var image = zeros(1, 3, 64, 64);
            using var other = ones(1, 3, 64, 64);
            Assert.True(network.Distances(image, other)[0] > 0);
        }
        finally
        {
            foreach (var tensor in backbone.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void TorchvisionVggKeysOfALegacyFileReachTheLpipsBackbone()
    {
        using var vgg = CheckpointLoader.Load(Fixture("legacy_vgg_like.pth"));
        var required = Lpips.RequiredWeights(LpipsNetwork.Vgg16);
        foreach (var (key, tensor) in vgg.Tensors.Where(entry => entry.Key.StartsWith("features.", StringComparison.Ordinal)))
        {
            var match = required.Where(entry => SliceName().Replace(entry.Key, "features.") == key).ToList();
            Assert.True(match.Count == 1, $"{key} is not a tensor of LPIPS's VGG16 backbone");
            Assert.Equal(match[0].Value.Length, tensor.dim());
        }

        // The toy file's first convolution is found under its torchvision name and refused only for its size.
        var heads = DeterministicValues.StateDict(LpipsTests.HeadShapes(LpipsNetwork.Vgg16), name => name);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new Lpips(LpipsNetwork.Vgg16, vgg.Tensors, heads));
            Assert.Contains("'features.0.weight' has shape [8, 3, 3, 3], expected [64, 3, 3, 3]", error.Message);
        }
        finally
        {
            foreach (var tensor in heads.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void TorchvisionInceptionKeysOfALegacyFileAreThoseTheFidNetworkReads()
    {
        using var stem = CheckpointLoader.Load(Fixture("legacy_inception_stem.pth"));
        var required = FidInceptionV3.RequiredWeights();
        var weights = stem.Tensors.Where(entry => !entry.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(required.Keys.Where(key => key.StartsWith("Conv2d_1a_3x3.", StringComparison.Ordinal)).Order(), weights.Select(entry => entry.Key).Order());
        foreach (var (key, tensor) in weights)
            Assert.Equal(required[key], tensor.shape);
    }

    [GeneratedRegex(@"^net\.slice\d\.")]
    private static partial Regex SliceName();
}
