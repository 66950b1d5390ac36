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
}
