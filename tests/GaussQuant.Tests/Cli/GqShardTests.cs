using GaussQuant.Tests.Distributed;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// Array jobs without MPI: <c>--shard i/N</c> runs and <c>gq merge</c> against one run over every input. The shards
/// are cut at whole batches, so with one thread every image is computed as in the single run: tokens are the same
/// bytes, and metrics differ by the float64 rounding of merging moments (see <see cref="MpiJobTests"/> for the 1e-9).
/// </summary>
public class GqShardTests : IDisposable
{
    private readonly PipelineTestModel model = new();
    private readonly TemporaryFolder folder = new();

    private string[] ModelOptions => ["--config", model.ConfigPath, "--ckpt", model.WeightsPath, "--threads", "1", "--batch", "2"];

    private void EncodeShard(int index, int count, params string[] extra)
    {
        var outcome = Gq.Run(["encode", .. ModelOptions, folder["in"], "-o", folder[$"shard{index}.npy"], "--shard", $"{index}/{count}", .. extra]);
        Assert.True(outcome.ExitCode == 0, outcome.Errors);
    }

    [Fact]
    public void EncodeShardsMergeIntoTheBytesOfOneRun()
    {
        PipelineTestModel.WritePictures(folder["in"], 7);
        PipelineTestModel.WriteCorrupt(folder["in"], "picture3b.png");
        var single = Gq.Run(["encode", .. ModelOptions, folder["in"], "-o", folder["single.npy"], "--skip-bad"]);
        Assert.True(single.ExitCode == 0, single.Errors);
        for (int index = 0; index < 3; index++)
            EncodeShard(index, 3, "--skip-bad");

        var merge = Gq.Run("merge", folder["shard2.npy"], folder["shard0.npy"], folder["shard1.npy"], "-o", folder["merged.npy"]);

        Assert.True(merge.ExitCode == 0, merge.Errors);
        Assert.Contains("merged 3 shards (7 images, 1 skipped)", merge.Output);
        Assert.Equal(File.ReadAllBytes(folder["single.npy"]), File.ReadAllBytes(folder["merged.npy"]));
        Assert.Equal(File.ReadAllBytes(folder["single.json"]), File.ReadAllBytes(folder["merged.json"]));
    }

    [Fact]
    public void EvalShardsMergeIntoTheMetricsOfOneRun()
    {
        PipelineTestModel.WritePictures(folder["in"], 5);
        string[] eval = ["eval", .. ModelOptions, "--data", folder["in"]];
        var single = Gq.Run([.. eval, "-o", folder["single.json"]]);
        Assert.True(single.ExitCode == 0, single.Errors);
        for (int index = 0; index < 2; index++)
        {
            var shard = Gq.Run([.. eval, "-o", folder[$"part{index}.json"], "--shard", $"{index}/2"]);
            Assert.True(shard.ExitCode == 0, shard.Errors);
        }

        var merge = Gq.Run("merge", folder["part1.json"], folder["part0.json"], "-o", folder["merged.json"]);

        Assert.True(merge.ExitCode == 0, merge.Errors);
        ReportAssert.MetricsAgree(folder["single.json"], folder["merged.json"], 1e-9);
    }

    [Fact]
    public void MergeRefusesMissingRepeatedAndMismatchedShardsWritingNothing()
    {
        PipelineTestModel.WritePictures(folder["in"], 6);
        EncodeShard(0, 3);
        EncodeShard(1, 3);
        EncodeShard(2, 3, "--size", "8");

        var missing = Gq.Run("merge", folder["shard0.npy"], folder["shard1.npy"], "-o", folder["merged.npy"]);
        var repeated = Gq.Run("merge", folder["shard0.npy"], folder["shard1.npy"], folder["shard1.npy"], "-o", folder["merged.npy"]);
        var mismatched = Gq.Run("merge", folder["shard0.npy"], folder["shard1.npy"], folder["shard2.npy"], "-o", folder["merged.npy"]);
        var whole = Gq.Run("merge", folder["shard0.npy"], folder["shard0.npy"], "-o", folder["merged.npy"]);

        Assert.Equal((1, 1, 1), (missing.ExitCode, repeated.ExitCode, mismatched.ExitCode));
        Assert.Contains("shard 2/3 is missing", missing.Errors);
        Assert.Contains("shard 1/3 is given twice", repeated.Errors);
        Assert.Contains("differ in resize", mismatched.Errors);
        Assert.Equal(1, whole.ExitCode);
        Assert.DoesNotContain(folder.Files(), file => file.StartsWith("merged", StringComparison.Ordinal));
    }

    [Fact]
    public void AShardOutsideTheJobIsAUsageError()
    {
        var outcome = Gq.Run(["encode", .. ModelOptions, folder["in"], "-o", folder["tokens.npy"], "--shard", "2/2"]);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--shard 2/2", outcome.Errors);
    }

    [Fact]
    public void OpenMpisLauncherIsRefusedBeforeAnyWork()
    {
        var outcome = Gq.Run(new Dictionary<string, string> { ["OMPI_COMM_WORLD_RANK"] = "0", ["OMPI_COMM_WORLD_SIZE"] = "2" }, "codebook",
            "--dim", "2", "--size", "4", "-o", folder["codebook.npy"]);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("Open MPI", outcome.Errors);
        Assert.Empty(folder.Files());
    }

    public void Dispose()
    {
        folder.Dispose();
        model.Dispose();
    }
}
