using GaussQuant.Imaging;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

public class GqCommandTests
{
    [Fact]
    public void EncodeThenDecodeGivesTheImagesOfReconstructVq()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 3);
        string[] modelOptions = ["--config", model.ConfigPath, "--ckpt", model.WeightsPath];

        var encode = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["tokens.npy"], "--batch", "2"]);
        Assert.True(encode.ExitCode == 0, encode.Errors);
        Assert.Contains($"wrote {folder["tokens.npy"]}: int64 [3, 2, 8, 8]", encode.Output);
        Assert.Contains("encode: 3/3 (100%)", encode.Errors);

        var decode = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["decoded"], "--batch", "2"]);
        Assert.True(decode.ExitCode == 0, decode.Errors);
        Assert.Contains("wrote 3 images", decode.Output);

        var reconstruct = Gq.Run(["reconstruct", .. modelOptions, folder["in"], "-o", folder["reconstructed"], "--mode", "vq", "--batch", "2"]);
        Assert.True(reconstruct.ExitCode == 0, reconstruct.Errors);
        foreach (string name in new[] { "picture0.png", "picture1.png", "picture2.png" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder["decoded"], name)), File.ReadAllBytes(Path.Combine(folder["reconstructed"], name)));
    }

    [Fact]
    public void ABadImageExitsWithOneNamingItAndWritesNothing()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 2);
        string corrupt = PipelineTestModel.WriteCorrupt(folder["in"]);

        var outcome = Gq.Run("encode", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, folder["in"], "-o", folder["out/tokens.npy"]);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"gq: {corrupt}", outcome.Errors);
        Assert.False(Directory.Exists(folder["out"]));

        var skipping = Gq.Run("encode", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, folder["in"], "-o", folder["out/tokens.npy"], "--skip-bad");
        Assert.Equal(0, skipping.ExitCode);
        Assert.Contains($"gq: skipped {corrupt}", skipping.Errors);
        Assert.Contains("(2 images, 1 skipped)", skipping.Output);
    }

    [Fact]
    public void HostileInputsExitWithOneAndAMessageNotAStackTrace()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string[] modelOptions = ["--config", model.ConfigPath, "--ckpt", model.WeightsPath];
        static void FailsCleanly(Gq.Outcome outcome, string message)
        {
            Assert.Equal(1, outcome.ExitCode);
            Assert.StartsWith("gq: ", outcome.Errors);
            Assert.Contains(message, outcome.Errors);
            Assert.DoesNotContain("   at ", outcome.Errors);
        }

        FailsCleanly(Gq.Run("info", model.ConfigPath, "--set", "model.params.encoder_config.params.ch=1073741824"), "more than the 8.0 GiB allowed");

        PipelineTestModel.WritePictures(folder["in"], 1);
        ImageEncoder.WritePng(folder["in/thin.png"], new RgbImage(180_000, 1, new byte[3 * 180_000]));
        var skipping = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["tokens.npy"], "--size", "64", "--skip-bad"]);
        Assert.Equal(0, skipping.ExitCode);
        Assert.Contains($"gq: skipped {folder["in/thin.png"]}", skipping.Errors);
        FailsCleanly(Gq.Run(["reconstruct", .. modelOptions, folder["in/thin.png"], "-o", folder["recon"], "--size", "64"]), "would make 737280000 pixels");

        var budget = new Dictionary<string, string> { ["GQ_MAX_IMAGE_PIXELS"] = "100" };
        FailsCleanly(Gq.Run(budget, ["encode", .. modelOptions, folder["in/picture0.png"], "-o", folder["small.npy"]]), "GQ_MAX_IMAGE_PIXELS");
        var nonsense = Gq.Run(new Dictionary<string, string> { ["GQ_MAX_MODEL_BYTES"] = "lots" }, "info", model.ConfigPath);
        Assert.Equal(2, nonsense.ExitCode);
        Assert.Contains("GQ_MAX_MODEL_BYTES=lots", nonsense.Errors);
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var picture = PipelineTestModel.WritePictures(folder.Path, 1)[0];
        string[] modelOptions = ["--config", model.ConfigPath, "--ckpt", model.WeightsPath];

        var both = Gq.Run(["encode", .. modelOptions, picture, "-o", folder["t.npy"], "--size", "16", "--no-resize"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("exclude each other", both.Errors);
        Assert.Equal(2, Gq.Run(["reconstruct", .. modelOptions, picture, "-o", folder["out"], "--mode", "median"]).ExitCode);
        Assert.Equal(2, Gq.Run(["decode", .. modelOptions, folder["t.npy"]]).ExitCode);
        var weightsAlone = Gq.Run("encode", "--ckpt", model.WeightsPath, picture, "-o", folder["t.npy"]);
        Assert.Equal(2, weightsAlone.ExitCode);
        Assert.Contains("carries no config of its own", weightsAlone.Errors);
        var configAlone = Gq.Run("encode", "--config", model.ConfigPath, picture, "-o", folder["t.npy"]);
        Assert.Equal(2, configAlone.ExitCode);
        Assert.Contains("--config needs --ckpt", configAlone.Errors);
    }

    [SkippableFact]
    public void WithoutModelOptionsABuildWithoutADefaultModelSaysSo()
    {
        Skip.If(File.Exists(Path.Combine(TestPaths.RepositoryRoot, "models", "default", "model.safetensors")), "this build embeds a default model");
        using var folder = new TemporaryFolder();
        var picture = PipelineTestModel.WritePictures(folder.Path, 1)[0];
        var outcome = Gq.Run("encode", picture, "-o", folder["t.npy"]);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("this build has no default model; pass --config and --ckpt", outcome.Errors);
    }

    [Fact]
    public void InfoDescribesAModelAndFailsWhenTheWeightsDoNotFit()
    {
        using var model = new PipelineTestModel();
        var config = Gq.Run("info", model.ConfigPath);
        Assert.Equal(0, config.ExitCode);
        Assert.Contains("at 16x16: tokens [2, 8, 8] = 128 per image, 1024 bits, 4 bits per pixel", config.Output);
        Assert.Contains("MiB of float32 weights)", config.Output);
        Assert.Contains("activations at 16x16: about", config.Output);

        var overridden = Gq.Run("info", model.ConfigPath, "--set", "model.params.regularizer_config.params.n_samples=128");
        Assert.Contains("codebook: K 128, d 4", overridden.Output);
        Assert.Contains("bits per token: 7", overridden.Output);

        var both = Gq.Run("info", model.WeightsPath, "--config", model.ConfigPath);
        Assert.Equal(0, both.ExitCode);
        Assert.Contains("format: safetensors", both.Output);
        Assert.Contains("weights: fit the config", both.Output);

        var other = Gq.Run("info", model.WeightsPath, "--config", Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("weights: do not fit the config", other.Output);
    }

    [Fact]
    public void BenchEncodeEndsWithImagesPerSecond()
    {
        var outcome = Gq.Run("bench", "encode", "--config", PipelineTestModel.SmallConfig, "--images", "3", "--batch", "2", "--size", "16");
        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Matches(@"images_per_s=\d+\.\d+\s*$", outcome.Output);
        Assert.Contains("encoder_s=", outcome.Output);

        var atTheModelsSize = Gq.Run("bench", "encode", "--config", PipelineTestModel.SmallConfig, "--images", "2", "--batch", "2");
        Assert.True(atTheModelsSize.ExitCode == 0, atTheModelsSize.Errors);
        Assert.Contains("size=16 ", atTheModelsSize.Output);
    }
}
