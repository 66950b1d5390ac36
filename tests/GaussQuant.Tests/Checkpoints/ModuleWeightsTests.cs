using GaussQuant.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

public class ModuleWeightsTests
{
    private static string Lightning => TestPaths.Fixture("checkpoints", "lightning.ckpt");

    /// <summary>The fixture's encoder/decoder tensors with their shapes.</summary>
    private static readonly (string Name, long[] Shape)[] FixtureModel =
    [
        ("encoder.conv_in.weight", [4, 3, 3, 3]), ("encoder.conv_in.bias", [4]),
        ("encoder.conv_out.weight", [4, 6]), ("encoder.conv_out.bias", [6, 4]),
        ("decoder.conv_in.weight", [2, 3]), ("decoder.conv_in.bias", [2]),
        ("decoder.conv_out.weight", [3, 2, 1, 1]), ("decoder.conv_out.bias", [3]),
    ];

    [Fact]
    public void LoadsEncoderAndDecoderAndIgnoresTrainingEntries()
    {
        using var model = Tree.Build(FixtureModel);
        using var checkpoint = CheckpointLoader.Load(Lightning);
        ModuleWeights.LoadInto(model, checkpoint.Tensors, Lightning);

        var loaded = model.state_dict();
        foreach (var (name, _) in FixtureModel)
        {
            Assert.Equal(ScalarType.Float32, loaded[name].dtype);
            using var expected = checkpoint.Tensors[name].to(ScalarType.Float32);
            Assert.True(loaded[name].equal(expected).all().item<bool>(), name);
        }
        Assert.Equal(-0.25f, loaded["encoder.conv_out.bias"][0, 1].item<float>()); // transposed view: element (0, 1) is the original (1, 0)
    }

    [Fact]
    public void LoadsTensorByTensorFromAReaderAsFromLoadedTensors()
    {
        using var fromTensors = Tree.Build(FixtureModel);
        using var fromReader = Tree.Build(FixtureModel);
        using (var checkpoint = CheckpointLoader.Load(Lightning))
            ModuleWeights.LoadInto(fromTensors, checkpoint.Tensors, Lightning);
        using (var reader = CheckpointLoader.Open(Lightning))
            ModuleWeights.LoadInto(fromReader, reader, Lightning);

        var expected = fromTensors.state_dict();
        foreach (var (name, tensor) in fromReader.state_dict())
            Assert.True(tensor.equal(expected[name]).all().item<bool>(), name);
    }

    [Fact]
    public void LoadsOneSubmoduleUnderAPrefix()
    {
        using var encoder = Tree.Build(FixtureModel.Where(entry => entry.Name.StartsWith("encoder.")).Select(entry => (entry.Name["encoder.".Length..], entry.Shape)));
        using var checkpoint = CheckpointLoader.Load(Lightning);
        ModuleWeights.LoadInto(encoder, checkpoint.Tensors, Lightning, prefix: "encoder.");
        Assert.Equal(0.5f, encoder.state_dict()["conv_in.bias"][0].item<float>());
    }

    [Fact]
    public void ReportsEveryMissingUnexpectedAndMisshapedKeyTogether()
    {
        var shapes = FixtureModel.Where(entry => entry.Name != "encoder.conv_out.bias")
            .Select(entry => entry.Name == "decoder.conv_in.bias" ? (entry.Name, new long[] { 5 }) : entry)
            .Append(("encoder.norm_out.weight", [4]));
        using var model = Tree.Build(shapes);
        using var checkpoint = CheckpointLoader.Load(Lightning);
        var error = Assert.Throws<WeightMismatchException>(() => ModuleWeights.LoadInto(model, checkpoint.Tensors, Lightning));
        Assert.Equal(["encoder.norm_out.weight"], error.Missing);
        Assert.Equal(["encoder.conv_out.bias"], error.Unexpected);
        Assert.Equal(["decoder.conv_in.bias: checkpoint [2] vs model [5]"], error.Misshaped);
        Assert.Equal(6, error.Matched);
        Assert.Contains("encoder.norm_out.weight", error.Message);
        Assert.Contains("encoder.conv_out.bias", error.Message);
        Assert.Contains("decoder.conv_in.bias", error.Message);
        Assert.Equal(0f, model.state_dict()["encoder.conv_in.bias"][0].item<float>()); // nothing copied on failure
    }

    [Fact]
    public void ACheckpointOfAnotherArchitectureSaysHowFewMatched()
    {
        using var model = Tree.Build([("encoder.blocks.0.weight", [4]), ("encoder.blocks.1.weight", [4]), ("decoder.conv_in.bias", [2])]);
        using var checkpoint = CheckpointLoader.Load(Lightning);
        var error = Assert.Throws<WeightMismatchException>(() => ModuleWeights.LoadInto(model, checkpoint.Tensors, Lightning));
        Assert.Contains("does not look like a checkpoint of this model", error.Message);
        Assert.Contains("only 1 of 3 expected tensors match", error.Message);
    }

    [Fact]
    public void NonPersistentBuffersLikeTheCodebookAreNotExpectedInTheCheckpoint()
    {
        using var model = Tree.Build(FixtureModel);
        using var regularization = Tree.Build([]);
        regularization.register_buffer("prior_samples", zeros(4, 2), persistent: false);
        model.register_module("regularization", regularization);
        using var checkpoint = CheckpointLoader.Load(Lightning);
        ModuleWeights.LoadInto(model, checkpoint.Tensors, Lightning);
    }

    /// <summary>A module tree built from dotted parameter names, standing in for the UNet.</summary>
    private sealed class Tree : nn.Module
    {
        private Tree(string name) : base(name) { }

        public static Tree Build(IEnumerable<(string Name, long[] Shape)> parameters)
        {
            var root = new Tree("root");
            foreach (var (name, shape) in parameters)
            {
                var parts = name.Split('.');
                var node = root;
                foreach (var part in parts[..^1])
                {
                    if (!node.named_children().Any(child => child.name == part)) node.register_module(part, new Tree(part));
                    node = (Tree)node.named_children().First(child => child.name == part).module;
                }
                node.register_parameter(parts[^1], new TorchSharp.Modules.Parameter(zeros(shape)));
            }
            return root;
        }
    }
}
