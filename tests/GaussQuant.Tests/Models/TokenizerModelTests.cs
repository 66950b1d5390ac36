using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Tests.Checkpoints;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Models;

public class TokenizerModelTests
{
    private static string SmallConfig => Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml");

    [Fact]
    public void LoadsTheWeightsAModelWasSavedWith()
    {
        var config = ExperimentLoader.Load(SmallConfig);
        using var original = ModelFactory.Create(config.Model);
        original.eval();
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, original.state_dict());

        using var loaded = TokenizerModel.Load(SmallConfig, weights.Path);
        Assert.False(loaded.Model.training);
        using var images = rand(2, 3, 32, 32).mul(2).sub(1);
        using var expected = original.Reconstruct(images, ReconstructionMode.Mean);
        using var actual = loaded.Model.Reconstruct(images, ReconstructionMode.Mean);
        Assert.True(expected.equal(actual).all().item<bool>());
    }

    [Fact]
    public void ACheckpointOfAnotherShapeIsReportedByName()
    {
        var config = ExperimentLoader.Load(SmallConfig, ["model.params.encoder_config.params.ch=64"]);
        using var other = ModelFactory.Create(config.Model);
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, other.state_dict());
        var error = Assert.ThrowsAny<IOException>(() => TokenizerModel.Load(SmallConfig, weights.Path));
        Assert.Contains(weights.Path, error.Message);
        Assert.Contains("encoder.conv_in.weight", error.Message);
    }

    [Fact]
    public void AModelFileWithItsConfigInsideLoadsWithoutAConfigPath()
    {
        var config = ExperimentLoader.Load(SmallConfig);
        using var original = ModelFactory.Create(config.Model);
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, original.state_dict(),
            new Dictionary<string, string> { [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToYaml(config.Tree) });
        using var loaded = TokenizerModel.Load(null, weights.Path);
        Assert.Equal(config.Model.Quantizer, loaded.Config.Model.Quantizer);
        Assert.Contains("embedded config", loaded.ConfigPath);
    }

    [Fact]
    public void AModelFileWithoutAConfigNeedsOne()
    {
        using var original = ModelFactory.Create(ExperimentLoader.Load(SmallConfig).Model);
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, original.state_dict());
        var error = Assert.Throws<ArgumentException>(() => TokenizerModel.Load(null, weights.Path));
        Assert.Contains("--config", error.Message);
    }
}
