using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Tests.Pipelines;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Cli;

/// <summary><c>gq info</c> on a model file that carries its config: a summary, and the YAML only when asked for.</summary>
public class GqInfoTests
{
    [Fact]
    public void AModelFileWithItsConfigGetsASummaryAndConfigOutWritesTheYaml()
    {
        using var folder = new TemporaryFolder();
        var config = ExperimentLoader.Load(PipelineTestModel.SmallConfig, ["model.params.encoder_config.params.attn_resolutions=[8]"]);
        string weights = folder["model.safetensors"];
        using (var model = ModelFactory.Create(config.Model))
            SafetensorsFile.Write(weights, model.state_dict(), new Dictionary<string, string>
            {
                [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToYaml(config.Tree),
                [ModelFileMetadata.StepKey] = "7",
            });

        var info = Gq.Run("info", weights, "--config-out", folder["config.yaml"]);
        Assert.True(info.ExitCode == 0, info.Errors);
        Assert.DoesNotContain("target:", info.Output);
        Assert.Contains("  format: safetensors, global_step 7, embedded config (", info.Output);
        Assert.Contains("  backbone: UNet encoder and decoder, 2 levels, downsampling factor 2", info.Output);
        Assert.Contains("1 res block per level, attention at levels [1] (8x8 of 16x16), z_channels 8", info.Output);
        Assert.Contains("implied shape: ch 32, ch_mult [1, 2] (downsampling factor 2), 1 res block per level, attention at levels [1],", info.Output);
        Assert.DoesNotContain("res blocks per level", info.Output.Split('\n').First(line => line.Contains("encoder:")));
        Assert.Equal(ConfigYamlWriter.ToYaml(config.Tree), File.ReadAllText(folder["config.yaml"]));
        var again = Gq.Run("info", weights, "--config-out", folder["config.yaml"]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists; pass --overwrite to replace it", again.Errors);
        Assert.Equal(0, Gq.Run("info", weights, "--config-out", folder["config.yaml"], "--overwrite").ExitCode);

        var without = Gq.Run("info", PipelineTestModel.SmallConfig);
        Assert.Contains("no attention", without.Output);
    }

    [Fact]
    public void AVfTrainedModelShowsItsAlignmentAndLoadsWithoutDinov2()
    {
        using var folder = new TemporaryFolder();
        var config = ExperimentLoader.Load(TestPaths.RepositoryRoot + "/configs/cifar32_k4096.yaml",
            ["model.params.use_vf=dinov2", "model.params.reverse_proj=true", "model.params.loss_config.params.vf_weight=0.2"]);
        string weights = folder["vf.safetensors"];
        using (var model = ModelFactory.Create(config.Model))
        using (var projection = TorchSharp.torch.zeros(1024, 16, 1, 1))
        using (var classToken = TorchSharp.torch.zeros(1, 1, 1024))
        {
            // what the authors' VF checkpoints hold besides the autoencoder
            var tensors = new Dictionary<string, TorchSharp.torch.Tensor>(model.state_dict())
            {
                ["linear_proj.weight"] = projection, ["foundation_model.model.cls_token"] = classToken,
            };
            SafetensorsFile.Write(weights, tensors, new Dictionary<string, string> { [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToYaml(config.Tree) });
        }

        var info = Gq.Run("info", weights);
        Assert.True(info.ExitCode == 0, info.Errors);
        Assert.Contains("  VF alignment (training only): dinov2, linear_proj latent → features (reverse_proj, no bias), vf_weight 0.2 adaptive, " +
                        "distmat margin 0.25 weight 1, cos margin 0.5 weight 1", info.Output);
        Assert.Contains("  VF alignment (ignored at inference): linear_proj.weight [1024, 16, 1, 1], 1 foundation_model.* tensors", info.Output);
        Assert.Contains("weights: fit the config", info.Output);

        using var loaded = TokenizerModel.Load(null, weights);
        using var images = TorchSharp.torch.zeros(1, 3, 32, 32);
        using var tokens = loaded.Model.Quantize(images);
        Assert.Equal([1L, 1, 8, 8], tokens.Indices.shape);
    }
}
