using GaussQuant.Tests.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Cli;

/// <summary><c>gq decode</c> of tokens whose manifest is missing: checked as far as the file allows, and a warning.</summary>
public class GqDecodeTests
{
    [Fact]
    public void TokensWithoutAManifestDecodeWithAWarningAndOnesThatCannotFitAreRefused()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 2);
        string[] modelOptions = ["--config", model.ConfigPath, "--ckpt", model.WeightsPath];
        Assert.Equal(0, Gq.Run(["encode", .. modelOptions, folder["in"], "-o", folder["tokens.npy"]]).ExitCode);

        var withManifest = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["with"]]);
        Assert.True(withManifest.ExitCode == 0, withManifest.Errors);
        Assert.DoesNotContain("warning", withManifest.Errors);

        File.Delete(folder["tokens.json"]);
        var without = Gq.Run(["decode", .. modelOptions, folder["tokens.npy"], "-o", folder["without"]]);
        Assert.True(without.ExitCode == 0, without.Errors);
        Assert.Contains($"gq: warning: no manifest ({folder["tokens.json"]}): nothing ties these tokens to this model", without.Errors);
        Assert.Contains("decoded as tokens [2, 8, 8] to 16x16 images", without.Errors);

        // 2 codebooks of 256 entries per position: values past 255, or one codebook per position, cannot come from this model.
        var tooLarge = new long[2 * 8 * 8];
        tooLarge[5] = 256;
        NpyFile.Write<long>(folder["large.npy"], tooLarge, 1, 2, 8, 8);
        var range = Gq.Run(["decode", .. modelOptions, folder["large.npy"], "-o", folder["large"]]);
        Assert.Equal(1, range.ExitCode);
        Assert.Contains("is 256, outside the codebook's range [0, 256)", range.Errors);

        NpyFile.Write<long>(folder["one.npy"], new long[8 * 8], 1, 1, 8, 8);
        var codebooks = Gq.Run(["decode", .. modelOptions, folder["one.npy"], "-o", folder["one"]]);
        Assert.Equal(1, codebooks.ExitCode);
        Assert.Contains("the tokens have 1 codebooks per position, but the model uses 2", codebooks.Errors);
        Assert.False(Directory.Exists(folder["large"]) || Directory.Exists(folder["one"]));
    }
}
