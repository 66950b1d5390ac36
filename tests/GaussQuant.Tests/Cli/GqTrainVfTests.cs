using GaussQuant.Imaging;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary><c>gq train --vf-weights</c>: VF alignment from the command line, and the message when the weights are missing.</summary>
public class GqTrainVfTests
{
    private static readonly string[] TinyVfConfig =
    [
        "--config", Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"), "--max-steps", "2", "--log-every", "1", "--threads", "1",
        "model.params.encoder_config.params.ch_mult=[1,2]", "model.params.encoder_config.params.attn_resolutions=[]",
        "model.params.encoder_config.params.resolution=16", "model.params.regularizer_config.params.n_samples=64",
        "data.params.batch_size=2", "data.params.train.params.image_size=16", "model.params.use_vf=dinov2", "model.params.reverse_proj=true",
    ];

    [Fact]
    public void TrainWithVfWeightsLogsTheAlignmentAndWithoutThemSaysWhatToDownload()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder["data"]);
        var random = new Random(3);
        for (int i = 0; i < 4; i++)
        {
            var pixels = new byte[16 * 16 * 3];
            random.NextBytes(pixels);
            ImageEncoder.WritePng(folder[$"data/image{i}.png"], new RgbImage(16, 16, pixels));
        }

        var missing = Gq.Run(["train", .. TinyVfConfig, "--data", folder["data"], "--out", folder["missing"]]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--vf-weights", missing.Errors);
        Assert.Contains("timm/vit_large_patch14_dinov2.lvd142m", missing.Errors);
        Assert.Contains("facebook/dinov2-large", missing.Errors);
        Assert.False(Directory.Exists(folder["missing"]));

        var train = Gq.Run(["train", .. TinyVfConfig, "--data", folder["data"], "--out", folder["run"],
            "--vf-weights", TestPaths.Fixture("vf", "dinov2_hf.bin")]);
        Assert.True(train.ExitCode == 0, train.Errors);
        Assert.Contains("  vf ", train.Output);
        Assert.Contains("foundation_model_weights", File.ReadAllText(folder["run/config.yaml"])); // a resume finds the weights again
    }
}
