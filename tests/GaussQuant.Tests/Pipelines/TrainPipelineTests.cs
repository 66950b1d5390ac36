using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

/// <summary>The decisions <c>gq train</c> leaves to its pipeline: which config, which run directory, which data.</summary>
public class TrainPipelineTests
{
    private static readonly string ConfigPath = Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml");

    [Fact]
    public void ANewRunGoesToRunsNamedAfterTheConfigAndTrainsOnTheGivenData()
    {
        using var folder = new TemporaryFolder();
        var resolved = TrainPipeline.Resolve(new TrainOptions { ConfigPath = ConfigPath, DataPath = folder.Path });
        Assert.Equal(Path.GetFullPath(Path.Combine("runs", "cifar32_k4096")), resolved.RunDirectory);
        Assert.Equal(folder.Path, resolved.Config.Data!.TrainRoot);
    }

    [Fact]
    public void AResumeReadsTheRunsOwnConfigAndMustNameTheRun()
    {
        using var folder = new TemporaryFolder();
        File.Copy(ConfigPath, folder["config.yaml"]);
        var resolved = TrainPipeline.Resolve(new TrainOptions { Resume = true, RunDirectory = folder.Path });
        Assert.Equal(folder["config.yaml"], resolved.Config.Source);
        Assert.Contains("--out", Assert.Throws<ArgumentException>(() => TrainPipeline.Resolve(new TrainOptions { Resume = true })).Message);
        Assert.Contains("--config", Assert.Throws<ArgumentException>(() => TrainPipeline.Resolve(new TrainOptions())).Message);
    }

}
