using GaussQuant.Config;
using GaussQuant.Experiments;
using GaussQuant.Training.Loop;

namespace GaussQuant.Tests.Config;

public class ConfigYamlWriterTests
{
    [Theory]
    [InlineData("scalars.yaml")]
    [InlineData("interpolation.yaml")]
    public void WrittenYamlReadsBackToTheSameTree(string file)
    {
        var tree = ConfigLoader.LoadTree(TestPaths.Fixture("config", file));
        using var copy = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        ConfigYamlWriter.Write(copy.Path, tree);
        AssertSameTree(tree, ConfigLoader.LoadTree(copy.Path));
    }

    [Fact]
    public void AResolvedProjectConfigStillMapsOntoTheSameOptionsAfterWriting()
    {
        var original = ExperimentLoader.Load(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_g8_k4096.yaml"), ["data.params.batch_size=7"]);
        using var copy = new GaussQuant.Tests.Checkpoints.TemporaryFile(".yaml");
        ConfigYamlWriter.Write(copy.Path, original.Tree);
        var again = ExperimentLoader.Load(copy.Path);
        Assert.Equal(7, again.Data!.BatchSize);
        Assert.Equal(original.Model.Quantizer, again.Model.Quantizer);
        Assert.Equal(original.Model.Loss! with { RegularizationWeights = null! }, again.Model.Loss! with { RegularizationWeights = null! });
        Assert.Equal(original.Model.Loss!.RegularizationWeights, again.Model.Loss!.RegularizationWeights);
        Assert.Equal(original.Trainer, again.Trainer);
    }

    private static void AssertSameTree(ConfigNode expected, ConfigNode actual)
    {
        switch (expected)
        {
            case ConfigMapping mapping:
                var other = Assert.IsType<ConfigMapping>(actual);
                Assert.Equal(mapping.Keys, other.Keys);
                foreach (var (key, value) in mapping.Entries) AssertSameTree(value, other[key]!);
                break;
            case ConfigSequence sequence:
                var list = Assert.IsType<ConfigSequence>(actual);
                Assert.Equal(sequence.Items.Count, list.Items.Count);
                for (int i = 0; i < sequence.Items.Count; i++) AssertSameTree(sequence.Items[i], list.Items[i]);
                break;
            case ConfigScalar scalar:
                Assert.Equal(scalar.Value, Assert.IsType<ConfigScalar>(actual).Value);
                break;
        }
    }
}
