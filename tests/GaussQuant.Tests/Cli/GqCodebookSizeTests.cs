using System.Text.Json.Nodes;
using GaussQuant.Tests.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// <c>--codebook-size K'</c>: a Gaussian Quant model's codebook chosen at inference. The test model has two codebooks
/// of K = 256 entries per position (f = 2, 16×16 images: 8×8 positions).
/// </summary>
public sealed class GqCodebookSizeTests : IDisposable
{
    private readonly PipelineTestModel model = new();
    private readonly TemporaryFolder folder = new();
    private readonly string[] modelOptions;

    public GqCodebookSizeTests()
    {
        modelOptions = ["--config", model.ConfigPath, "--ckpt", model.WeightsPath];
        PipelineTestModel.WritePictures(folder["in"], 3);
    }

    public void Dispose()
    {
        model.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void TheTrainedSizeGivesTodaysTokensAndManifest()
    {
        var today = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["today.npy"]]);
        Assert.True(today.ExitCode == 0, today.Errors);
        var same = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["same.npy"], "--codebook-size", "256"]);
        Assert.True(same.ExitCode == 0, same.Errors);
        Assert.Equal(File.ReadAllBytes(folder["today.npy"]), File.ReadAllBytes(folder["same.npy"]));
        Assert.Equal(File.ReadAllText(folder["today.json"]), File.ReadAllText(folder["same.json"]));
        Assert.DoesNotContain("trained_codebook_size", File.ReadAllText(folder["same.json"]));
    }

    [Fact]
    public void TokensOfAnotherSizeRoundTripThroughDecodeWithThatSizeOnly()
    {
        var encode = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["tokens.npy"], "--codebook-size", "16"]);
        Assert.True(encode.ExitCode == 0, encode.Errors);

        var tokens = NpyFile.Read(folder["tokens.npy"]);
        Assert.Equal([3L, 2, 8, 8], tokens.Shape);
        Assert.All(tokens.ToArray<long>(), token => Assert.InRange(token, 0, 15));
        var manifest = TokenManifest.Read(folder["tokens.json"]);
        Assert.Equal(16, manifest.Codebook!.Size);
        Assert.Equal("16", manifest.Quantizer!.Parameters["size"]);
        Assert.Equal(256, manifest.TrainedCodebookSize);

        var decode = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["decoded"], "--codebook-size", "16"]);
        Assert.True(decode.ExitCode == 0, decode.Errors);
        var reconstruct = Gq.Run(["reconstruct", .. modelOptions, folder["in"], "-o", folder["reconstructed"], "--codebook-size", "16"]);
        Assert.True(reconstruct.ExitCode == 0, reconstruct.Errors);
        var trained = Gq.Run(["reconstruct", .. modelOptions, folder["in"], "-o", folder["trained"]]);
        Assert.True(trained.ExitCode == 0, trained.Errors);
        foreach (string name in new[] { "picture0.png", "picture1.png", "picture2.png" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder["reconstructed"], name)), File.ReadAllBytes(Path.Combine(folder["decoded"], name)));
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(folder["trained"], name)), File.ReadAllBytes(Path.Combine(folder["decoded"], name)));
        }

        var withTrained = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["refused"]]);
        Assert.Equal(1, withTrained.ExitCode);
        Assert.Contains("the tokens index a Gaussian Quant codebook of 16 entries, but this decode uses the model's trained 256; " +
                        "they were encoded with --codebook-size 16: decode them with --codebook-size 16", withTrained.Errors);
        var withOther = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["refused"], "--codebook-size", "32"]);
        Assert.Equal(1, withOther.ExitCode);
        Assert.Contains("but this decode uses 32 (--codebook-size; the model was trained with 256)", withOther.Errors);
        Assert.False(Directory.Exists(folder["refused"]));
    }

    [Fact]
    public void TrainedTokensDecodedWithAnotherSizeAreToldToDropTheOption()
    {
        Assert.Equal(0, Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["tokens.npy"]]).ExitCode);
        var decode = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["out"], "--codebook-size", "512"]);
        Assert.Equal(1, decode.ExitCode);
        Assert.Contains("that is the model's trained codebook: decode them without --codebook-size", decode.Errors);
    }

    [Fact]
    public void EvalReportsBitsAndUsageOverTheChosenSize()
    {
        var eval = Gq.Run(["eval", .. modelOptions, "--data", folder["in"], "-o", folder["report.json"], "--codebook-size", "4", "--mode", "vq"]);
        Assert.True(eval.ExitCode == 0, eval.Errors);
        var report = JsonNode.Parse(File.ReadAllText(folder["report.json"]))!;
        Assert.Equal(4, report["codebook_size"]!.GetValue<long>());
        Assert.Equal(256, report["trained_codebook_size"]!.GetValue<int>());
        Assert.Equal(2.0, report["bits_per_token"]!.GetValue<double>());
        Assert.Equal(2 * 2.0 / (2 * 2), report["bits_per_pixel"]!.GetValue<double>()); // 2 tokens of 2 bits per 2×2 pixels
        var vq = report["modes"]!["vq"]!;
        long used = vq["used_entries"]!.GetValue<long>();
        Assert.InRange(used, 1, 4);
        Assert.Equal(used / 4.0, vq["codebook_usage"]!.GetValue<double>());
        Assert.InRange(vq["token_entropy_bits"]!.GetValue<double>(), 0, 2);
        foreach (var codebook in vq["per_codebook"]!.AsArray())
            Assert.Equal(4, codebook!["codebook_size"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("vq", "encode", "codes were fixed by training")]
    [InlineData("fsq", "reconstruct", "codes were fixed by training")]
    [InlineData("gaussian_kl", "reconstruct", "latent is continuous")]
    public void OtherKindsRefuseTheOptionAsAUsageError(string kind, string command, string why)
    {
        var run = Gq.Run(command, "--config", TestPaths.Fixture("zoo", kind, "config.yaml"), "--ckpt", TestPaths.Fixture("zoo", kind, "model.ckpt"),
            TestPaths.Fixture("zoo", "cifar10.png"), "-o", folder["out"], "--codebook-size", "256");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("gq: the codebook size can be chosen at inference only for a Gaussian Quant model", run.Errors);
        Assert.Contains(why, run.Errors);
        Assert.False(File.Exists(folder["out"]) || Directory.Exists(folder["out"]));
    }

    [Theory]
    [InlineData("1", "--codebook-size must be at least 2")]
    [InlineData("3", "must be a power of two from 2 to 2^24 = 16777216 (a whole number of bits per token), not 3")]
    [InlineData("33554432", "not 33554432")]
    public void SizesOutsideTheBoundsAreUsageErrors(string size, string message)
    {
        var run = Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["t.npy"], "--codebook-size", size]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Errors);
        Assert.False(File.Exists(folder["t.npy"]));
    }
}
