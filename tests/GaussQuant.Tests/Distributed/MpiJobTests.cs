using GaussQuant.Tests.Cli;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Distributed;

/// <summary>
/// gq as a job of two ranks under <c>mpirun.mpich -np 2</c> against the same command in one process. Every run uses
/// one thread and the same batch, so each image is computed by the same kernels in the same batch either way: the
/// tokens must be the same bytes, and the report's metrics may differ only by merging per-rank float64 moments
/// (Chan et al.) instead of one running pass, a few units of float64 rounding (≈1e-15 relative) — 1e-9 leaves a wide
/// margin and still fails for any per-rank averaging, which is off by far more.
/// </summary>
public class MpiJobTests : IDisposable
{
    private const double MergeTolerance = 1e-9;

    private readonly PipelineTestModel model = new();
    private readonly TemporaryFolder folder = new();

    private string[] ModelOptions => ["--config", model.ConfigPath, "--ckpt", model.WeightsPath, "--threads", "1", "--batch", "2"];

    [SkippableFact]
    public void EncodeOnTwoRanksWritesTheBytesOfOneProcess()
    {
        MpiLauncher.Require();
        PipelineTestModel.WritePictures(folder["in"], 5);
        // Sorted last, the unreadable file falls in rank 1's block: its skip must reach the manifest in input order.
        PipelineTestModel.WriteCorrupt(folder["in"], "zz-corrupt.png");
        string[] encode = ["encode", .. ModelOptions, folder["in"], "--skip-bad"];

        var single = Gq.Run([.. encode, "-o", folder["single.npy"]]);
        Assert.True(single.ExitCode == 0, single.Errors);
        var job = MpiLauncher.Run(2, [.. encode, "-o", folder["job.npy"]]);
        Assert.True(job.ExitCode == 0, job.Errors);

        Assert.Equal(File.ReadAllBytes(folder["single.npy"]), File.ReadAllBytes(folder["job.npy"]));
        Assert.Equal(File.ReadAllBytes(folder["single.json"]), File.ReadAllBytes(folder["job.json"]));
        // Only rank 0 speaks: one summary line, not one per rank.
        Assert.Single(job.Output.Split('\n'), line => line.StartsWith("wrote "));
    }

    [SkippableFact]
    public void EvalOnTwoRanksGivesTheMetricsOfOneProcess()
    {
        MpiLauncher.Require();
        PipelineTestModel.WritePictures(folder["in"], 7);
        string[] eval = ["eval", .. ModelOptions, "--data", folder["in"]];

        var single = Gq.Run([.. eval, "-o", folder["single.json"]]);
        Assert.True(single.ExitCode == 0, single.Errors);
        var job = MpiLauncher.Run(2, [.. eval, "-o", folder["job.json"]]);
        Assert.True(job.ExitCode == 0, job.Errors);

        ReportAssert.MetricsAgree(folder["single.json"], folder["job.json"], MergeTolerance);
    }

    [SkippableFact]
    public void AFailingRankStopsTheJobNamingTheRankAndLeavesNoOutput()
    {
        MpiLauncher.Require();
        PipelineTestModel.WritePictures(folder["in"], 3);
        PipelineTestModel.WriteCorrupt(folder["in"], "zz-corrupt.png");

        var job = MpiLauncher.Run(2, ["encode", .. ModelOptions, folder["in"], "-o", folder["out/tokens.npy"]]);

        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1 of 2 failed", job.Errors);
        Assert.Contains("zz-corrupt.png", job.Errors);
        Assert.DoesNotContain(folder.Files(), file => file.StartsWith("out", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void AllReduceSumsAcrossTheRanks()
    {
        MpiLauncher.Require();
        // The benchmark checks every element of every sum and fails the job if one is wrong.
        var job = MpiLauncher.Run(2, "bench", "allreduce", "--megabytes", "1", "--repetitions", "3");
        Assert.True(job.ExitCode == 0, job.Errors);
        Assert.Contains("ranks=2 bytes=1000000", job.Output);
    }

    public void Dispose()
    {
        folder.Dispose();
        model.Dispose();
    }
}
