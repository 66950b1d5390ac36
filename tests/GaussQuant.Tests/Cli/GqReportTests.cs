using GaussQuant.Tests.Pipelines;
using GaussQuant.Tests.Reports;

namespace GaussQuant.Tests.Cli;

/// <summary><c>gq report</c> and <c>gq eval --html</c> as a user runs them: pages written, outputs protected, mistakes named.</summary>
public class GqReportTests
{
    [Fact]
    public void ReportWritesTheRunPageAndRefusesToReplaceItUnasked()
    {
        using var run = new SyntheticRun();
        using var folder = new TemporaryFolder();
        string page = folder["pages/run.html"];

        var first = Gq.Run("report", run.Root, "-o", page);
        Assert.True(first.ExitCode == 0, first.Errors);
        Assert.Contains($"wrote {page} (40 logged steps, 6 sample grids, 2 checkpoints)", first.Output);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(page));

        var again = Gq.Run("report", run.Root, "-o", page);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--overwrite", again.Errors);
        Assert.Equal(0, Gq.Run("report", run.Root, "-o", page, "--overwrite").ExitCode);
    }

    [Fact]
    public void AFolderThatIsNoRunFailsNamingIt()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder["empty"]);
        var outcome = Gq.Run("report", folder["empty"], "-o", folder["run.html"]);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"gq: {folder["empty"]} is not a training run directory", outcome.Errors);
        Assert.False(File.Exists(folder["run.html"]));
    }

    [Fact]
    public void EvalWritesThePageBesideTheJsonReport()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 3);
        string[] common = ["eval", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, "--data", folder["in"], "--batch", "2"];

        var same = Gq.Run([.. common, "-o", folder["report.json"], "--html", folder["report.json"]]);
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("the same file", same.Errors);

        var outcome = Gq.Run([.. common, "-o", folder["report.json"], "--html", folder["page/report.html"]]);
        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Contains($"wrote {folder["page/report.html"]}", outcome.Output);
        string html = File.ReadAllText(folder["page/report.html"]);
        Assert.Contains("data-role=\"worst\"", html);
        Assert.Contains("data-role=\"best\"", html);
    }
}
