using GaussQuant.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>gq's outputs as a user meets them: checked before any work, never replaced unasked, one writer at a time.</summary>
public class GqOutputTests
{
    [Fact]
    public void EncodeToAFolderNameStopsBeforeEncoding()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 3);
        var outcome = Gq.Run("encode", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, folder["in"], "-o", folder["outdir"] + "/");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("names a folder; name the file to write", outcome.Errors);
        Assert.DoesNotContain("encode:", outcome.Errors);
        Assert.False(Directory.Exists(folder["outdir"]));
    }

    [Fact]
    public void AnExistingOutputIsReplacedOnlyWithOverwrite()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder["codebook.npy"], "mine");
        string[] codebook = ["codebook", "--dim", "2", "--size", "16", "-o", folder["codebook.npy"]];
        var refused = Gq.Run(codebook);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"gq: {folder["codebook.npy"]} exists; pass --overwrite to replace it", refused.Errors);
        Assert.Equal("mine", File.ReadAllText(folder["codebook.npy"]));

        var replaced = Gq.Run([.. codebook, "--overwrite"]);
        Assert.True(replaced.ExitCode == 0, replaced.Errors);
        Assert.Equal(16, GaussQuant.Tokens.NpyFile.Read(folder["codebook.npy"]).Shape[0]);
    }

    [Fact]
    public void AnOutputAnotherProcessIsWritingIsRefused()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 2);
        // This test process is the first writer; gq, started as a second process, must see its lock.
        using (OutputLock.Acquire(OutputLock.LockPathOfFile(folder["tokens.npy"]), folder["tokens.npy"]))
        {
            var outcome = Gq.Run("encode", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, folder["in"], "-o", folder["tokens.npy"]);
            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains($"gq: {folder["tokens.npy"]} is being written by another gq process", outcome.Errors);
            Assert.DoesNotContain("encode:", outcome.Errors);
        }
        Assert.Equal(["in", "in/picture0.png", "in/picture1.png"], folder.Files());
    }
}
