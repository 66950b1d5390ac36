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

    [Fact]
    public void AnEncoderOnlyModelGivesTheFullModelsTokensWithoutReadingTheDecoder()
    {
        var config = ExperimentLoader.Load(SmallConfig);
        using var original = ModelFactory.Create(config.Model);
        original.eval();
        // Decoder weights of the wrong shape would be refused if they were read: leaving the decoder out must not read them.
        var state = original.state_dict().Where(pair => !pair.Key.StartsWith("decoder.", StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        using var wrongDecoderWeight = zeros(3);
        state["decoder.conv_in.weight"] = wrongDecoderWeight;
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, state);

        using var encoderOnly = TokenizerModel.Load(SmallConfig, weights.Path, parts: ModelParts.Encoder);
        Assert.Equal(ModelParts.Encoder, encoderOnly.Model.Parts);
        Assert.DoesNotContain(encoderOnly.Model.state_dict().Keys, key => key.StartsWith("decoder.", StringComparison.Ordinal));
        using var images = rand(2, 3, 32, 32).mul(2).sub(1);
        using var expected = original.Quantize(images);
        using var actual = encoderOnly.Model.Quantize(images);
        Assert.True(expected.Indices.equal(actual.Indices).all().item<bool>());
        var error = Assert.Throws<InvalidOperationException>(() => encoderOnly.Model.Decode(actual.Quantized));
        Assert.Contains("without its decoder", error.Message);
    }

    [Fact]
    public void ADecoderOnlyModelDecodesTokensAsTheFullModelDoes()
    {
        var config = ExperimentLoader.Load(SmallConfig);
        using var original = ModelFactory.Create(config.Model);
        original.eval();
        using var weights = new TemporaryFile(".safetensors");
        SafetensorsFile.Write(weights.Path, original.state_dict());

        using var decoderOnly = TokenizerModel.Load(SmallConfig, weights.Path, parts: ModelParts.Decoder);
        Assert.DoesNotContain(decoderOnly.Model.state_dict().Keys, key => key.StartsWith("encoder.", StringComparison.Ordinal));
        using var images = rand(2, 3, 32, 32).mul(2).sub(1);
        using var tokens = original.Quantize(images);
        using var expected = original.DecodeTokens(tokens.Indices);
        using var actual = decoderOnly.Model.DecodeTokens(tokens.Indices);
        Assert.True(expected.equal(actual).all().item<bool>());
        var error = Assert.Throws<InvalidOperationException>(() => decoderOnly.Model.Quantize(images));
        Assert.Contains("without its encoder", error.Message);
    }
}
