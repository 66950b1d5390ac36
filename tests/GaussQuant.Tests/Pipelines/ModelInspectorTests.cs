using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Pipelines;

public class ModelInspectorTests
{
    [Fact]
    public void AConfigAloneGivesArchitectureParametersAndBitrate()
    {
        var info = ModelInspector.Inspect(PipelineTestModel.SmallConfig, null);
        var model = Assert.IsType<ModelDescription>(info.Model);
        Assert.Null(info.Checkpoint);
        using var built = ModelFactory.Create(ExperimentLoader.Load(PipelineTestModel.SmallConfig).Model);
        Assert.Equal(built.Encoder.parameters().Sum(parameter => parameter.numel()), model.EncoderParameters);
        Assert.Equal(built.Decoder.parameters().Sum(parameter => parameter.numel()), model.DecoderParameters);
        Assert.Equal(2, model.DownsamplingFactor);
        Assert.Equal(2, model.CodebooksPerPosition);
        Assert.Equal(8, model.BitsPerToken);
        Assert.Equal([2, 8, 8], model.TokenShape);
        Assert.Equal(128, model.TokensPerImage);
        Assert.Equal(4.0, model.BitsPerPixel);
    }

    [Fact]
    public void TheAuthorsConfigHasTheSpecsParameterCountsAndBitrate()
    {
        var model = ModelInspector.Inspect(Path.Combine(TestPaths.RepositoryRoot, "configs", "gq_0.50.yaml"), null).Model!;
        Assert.Equal(35_325_856, model.EncoderParameters);
        Assert.Equal(51_648_771, model.DecoderParameters);
        Assert.Equal(2048, model.TokensPerImage);
        Assert.Equal(0.5, model.BitsPerPixel);
    }

    [Fact]
    public void AWeightsFileAloneTellsItsFormatAndImpliedShape()
    {
        using var model = new PipelineTestModel(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"));
        var info = ModelInspector.Inspect(null, model.WeightsPath);
        Assert.Null(info.Model);
        var checkpoint = Assert.IsType<CheckpointDescription>(info.Checkpoint);
        Assert.Equal(CheckpointFormat.Safetensors, checkpoint.Metadata.Format);
        Assert.Equal(32, checkpoint.BaseChannels);
        Assert.Equal([1, 2, 2], checkpoint.ChannelMultipliers);
        Assert.Equal(1, checkpoint.ResBlocksPerLevel);
        Assert.Equal([2], checkpoint.AttentionLevels);
        Assert.Equal(16, checkpoint.LatentChannels);
        Assert.True(checkpoint.DoubleLatent);
        Assert.Equal(model.Autoencoder.Encoder.parameters().Sum(parameter => parameter.numel()), checkpoint.EncoderParameters);

        var lightning = ModelInspector.Inspect(null, TestPaths.Fixture("checkpoints", "lightning.ckpt")).Checkpoint!;
        Assert.Equal(CheckpointFormat.TrainingCheckpoint, lightning.Metadata.Format);
        Assert.Equal(3, lightning.Metadata.Epoch);
        Assert.Equal(1234, lightning.Metadata.GlobalStep);
    }

    [Fact]
    public void ConfigAndWeightsTogetherSayWhetherTheyFit()
    {
        using var model = new PipelineTestModel();
        Assert.Null(ModelInspector.Inspect(model.ConfigPath, model.WeightsPath).WeightsProblem);
        var mismatch = ModelInspector.Inspect(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"), model.WeightsPath);
        Assert.Contains("encoder.conv_out.weight", mismatch.WeightsProblem);
        Assert.NotNull(mismatch.Model);
        Assert.NotNull(mismatch.Checkpoint);
    }

    [Fact]
    public void NonFiniteWeightsAreNamedInsteadOfSayingTheyFit()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string damaged = folder["damaged.safetensors"];
        var tensors = SafetensorsFile.Read(model.WeightsPath);
        using (TorchSharp.torch.no_grad())
        {
            tensors["decoder.conv_out.bias"][0] = float.NaN;
            tensors["encoder.conv_in.weight"][0, 0, 0, 0] = float.PositiveInfinity;
        }
        SafetensorsFile.Write(damaged, tensors);
        foreach (var tensor in tensors.Values) tensor.Dispose();

        var info = ModelInspector.Inspect(model.ConfigPath, damaged);
        Assert.Equal(["decoder.conv_out.bias", "encoder.conv_in.weight"], info.Checkpoint!.NonFiniteTensors);
        Assert.Contains("2 tensors hold NaN or infinite values: decoder.conv_out.bias, encoder.conv_in.weight", info.WeightsProblem);
        Assert.Equal(["decoder.conv_out.bias", "encoder.conv_in.weight"], ModelInspector.Inspect(null, damaged).Checkpoint!.NonFiniteTensors);
    }

    [Fact]
    public void AConfigWhoseWeightsExceedTheLimitIsRefusedWithoutBuildingIt()
    {
        // ch 2^30 asked LibTorch for 116 GB before; now the count is worked out and refused at load.
        var error = Assert.Throws<ConfigException>(() =>
            ModelInspector.Inspect(PipelineTestModel.SmallConfig, null, ["model.params.encoder_config.params.ch=1073741824"]));
        Assert.Contains(PipelineTestModel.SmallConfig, error.Message);
        Assert.Contains("of float32 weights), more than the 8.0 GiB allowed", error.Message);
    }
}
