using System.Text.Json.Nodes;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// gq with the baseline configs of the authors' zoo in their YAML format and Lightning checkpoints
/// (tests/fixtures/zoo): every command works for the token kinds; a continuous Gaussian VAE reconstructs and is
/// evaluated, and encode and decode refuse it clearly.
/// </summary>
public class ZooCommandTests
{
    /// <summary>A baseline regularizer's small UNet (tests/fixtures/zoo/KIND), or the small ViT with blc Gaussian Quant (tests/fixtures/vit_gq).</summary>
    private static string[] ModelOptions(string kind) => kind == ViT
        ? ["--config", TestPaths.Fixture("vit_gq", "config.yaml"), "--ckpt", TestPaths.Fixture("vit_gq", "model.ckpt")]
        : ["--config", TestPaths.Fixture("zoo", kind, "config.yaml"), "--ckpt", TestPaths.Fixture("zoo", kind, "model.ckpt")];

    private const string ViT = "vit_gq";

    private static string[] Pictures => [TestPaths.Fixture("zoo", "cifar10.png"), TestPaths.Fixture("zoo", "bsds500.png")];

    [Theory]
    [InlineData("vq", "[2, 2, 32, 32]", 256L)]
    [InlineData("fsq", "[2, 1, 32, 32]", 1000L)]
    [InlineData("lfq", "[2, 1, 32, 32]", 65536L)]
    [InlineData("bsq", "[2, 1, 32, 32]", 65536L)]
    [InlineData(ViT, "[2, 2, 8, 8]", 4096L)]
    public void EveryCommandWorksForATokenKind(string kind, string tokenShape, long codebookSize)
    {
        using var folder = new TemporaryFolder();
        var model = ModelOptions(kind);
        var encode = Gq.Run(["encode", .. model, .. Pictures, "-o", folder["tokens.npy"]]);
        Assert.True(encode.ExitCode == 0, encode.Errors);
        Assert.Contains($"int64 {tokenShape}", encode.Output);
        var manifest = JsonNode.Parse(File.ReadAllText(folder["tokens.json"]))!;
        Assert.Equal(kind == ViT ? "gaussian_quant" : kind, manifest["quantizer"]!["kind"]!.GetValue<string>());

        var decode = Gq.Run(["decode", .. model, folder["tokens.npy"], "-o", folder["decoded"]]);
        Assert.True(decode.ExitCode == 0, decode.Errors);
        var reconstruct = Gq.Run(["reconstruct", .. model, .. Pictures, "-o", folder["reconstructed"], "--mode", "vq"]);
        Assert.True(reconstruct.ExitCode == 0, reconstruct.Errors);
        foreach (string name in new[] { "cifar10.png", "bsds500.png" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder["decoded"], name)), File.ReadAllBytes(Path.Combine(folder["reconstructed"], name)));

        Directory.CreateDirectory(folder["data"]);
        foreach (string picture in Pictures) File.Copy(picture, Path.Combine(folder["data"], Path.GetFileName(picture)));
        var eval = Gq.Run(["eval", .. model, "--data", folder["data"], "-o", folder["report.json"], "--html", folder["report.html"]]);
        Assert.True(eval.ExitCode == 0, eval.Errors);
        var report = JsonNode.Parse(File.ReadAllText(folder["report.json"]))!;
        Assert.Equal(codebookSize, report["codebook_size"]!.GetValue<long>());
        Assert.Contains($"data-value=\"{codebookSize}\"", File.ReadAllText(folder["report.html"]));
        Assert.NotNull(report["modes"]!["vq"]);

        var info = Gq.Run("info", model[3], "--config", model[1]);
        Assert.True(info.ExitCode == 0, info.Errors);
        Assert.Contains("weights: fit the config", info.Output);
        Assert.Contains($"{codebookSize} values each", info.Output);
    }

    [Fact]
    public void TheViTSaysWhatItIsAndRefusesSizesItsPositionalEmbeddingCannotTake()
    {
        using var folder = new TemporaryFolder();
        var model = ModelOptions(ViT);
        var info = Gq.Run("info", model[3], "--config", model[1]);
        Assert.True(info.ExitCode == 0, info.Errors);
        foreach (string line in (string[])[
            "  backbone: ViT encoder and decoder, downsampling factor 8, blc latent",
            "  encoder: image 64, patch 8 (8x8 tokens), width 64, 2 layers, 4 heads, mlp_ratio 4",
            "  image size: 64x64 only",
            "  at 64x64: tokens [2, 8, 8] = 128 per image",
            "  implied shape: ViT, 8x8 patches of 8 (64x64 images), width 64, 2 layers, z_channels 16, double_z true",
            "weights: fit the config"])
            Assert.Contains(line, info.Output);

        var sized = Gq.Run(["encode", .. model, .. Pictures, "--size", "32", "-o", folder["sized.npy"]]);
        Assert.NotEqual(0, sized.ExitCode);
        Assert.Contains("the image size 32 does not fit the model: the ViT's positional embedding fits 64x64 images only", sized.Errors);
        var picture = PipelineTestModel.WritePictures(folder["small"], 1)[0];
        foreach (string command in new[] { "encode", "reconstruct" })
        {
            var unresized = Gq.Run([command, .. model, picture, "--no-resize", "-o", folder[command]]);
            Assert.Equal(1, unresized.ExitCode);
            Assert.Contains($"{picture}: 24x20 pixels cannot be used without resizing: the model takes 64x64 images only", unresized.Errors);
            Assert.False(File.Exists(folder[command]) || Directory.Exists(folder[command]));
        }
        Directory.CreateDirectory(folder["data"]);
        File.Copy(Pictures[0], Path.Combine(folder["data"], "cifar10.png"));
        var eval = Gq.Run(["eval", .. model, "--data", folder["data"], "--size", "48", "-o", folder["report.json"]]);
        Assert.NotEqual(0, eval.ExitCode);
        Assert.Contains("fits 64x64 images only, got 48x48", eval.Errors);
    }

    [Fact]
    public void AGaussianVaeReconstructsAndIsEvaluatedButHasNoTokens()
    {
        using var folder = new TemporaryFolder();
        var model = ModelOptions("gaussian_kl");
        var encode = Gq.Run(["encode", .. model, .. Pictures, "-o", folder["tokens.npy"]]);
        Assert.Equal(1, encode.ExitCode);
        Assert.Contains("makes no tokens", encode.Errors);
        Assert.False(File.Exists(folder["tokens.npy"]));
        var decode = Gq.Run(["decode", .. model, folder["tokens.npy"], "-o", folder["decoded"]]);
        Assert.Equal(1, decode.ExitCode);
        var vq = Gq.Run(["reconstruct", .. model, .. Pictures, "-o", folder["vq"], "--mode", "vq"]);
        Assert.Equal(1, vq.ExitCode);
        Assert.Contains("makes no tokens", vq.Errors);
        Assert.False(Directory.Exists(folder["vq"]));

        foreach (string mode in new[] { "mean", "sample" })
        {
            var reconstruct = Gq.Run(["reconstruct", .. model, .. Pictures, "-o", folder[mode], "--mode", mode]);
            Assert.True(reconstruct.ExitCode == 0, reconstruct.Errors);
            Assert.Equal(2, Directory.GetFiles(folder[mode], "*.png").Length);
        }

        Directory.CreateDirectory(folder["data"]);
        foreach (string picture in Pictures) File.Copy(picture, Path.Combine(folder["data"], Path.GetFileName(picture)));
        var eval = Gq.Run(["eval", .. model, "--data", folder["data"], "-o", folder["report.json"]]);
        Assert.True(eval.ExitCode == 0, eval.Errors);
        var report = JsonNode.Parse(File.ReadAllText(folder["report.json"]))!;
        Assert.Null(report["modes"]!["vq"]);
        Assert.NotNull(report["modes"]!["mean"]);
        Assert.Null(report["codebook_size"]);
        var page = Gq.Run(["eval", .. model, "--data", folder["data"], "-o", folder["again.json"], "--html", folder["report.html"]]);
        Assert.Equal(1, page.ExitCode);
        Assert.Contains("token maps", page.Errors);
        Assert.False(File.Exists(folder["report.html"]));

        var info = Gq.Run("info", model[3], "--config", model[1]);
        Assert.True(info.ExitCode == 0, info.Errors);
        Assert.Contains("tokens: none", info.Output);
    }

    [Theory]
    [InlineData("vq", "codebook_loss ")]
    [InlineData("lfq", "entropy_aux_loss ")]
    [InlineData("gaussian_kl", "samples: ")]
    public void TrainingShowsTheRegularizersOwnTermsAndNoUsageWithoutTokens(string kind, string shown)
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder["data"]);
        foreach (string picture in Pictures) File.Copy(picture, Path.Combine(folder["data"], Path.GetFileName(picture)));
        var train = Gq.Run("train", "--config", TestPaths.Fixture("zoo", kind, "config.yaml"), "--data", folder["data"], "--out", folder["run"],
            "--max-steps", "2");
        Assert.True(train.ExitCode == 0, train.Errors);
        Assert.Contains(shown, train.Output);
        Assert.Equal(kind != "gaussian_kl", train.Output.Contains("codebook usage"));
        Assert.True(File.Exists(Path.Combine(folder["run"], "model.safetensors")));
    }
}
