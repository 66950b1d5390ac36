using GaussQuant.Experiments;
using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

public class DecodeBenchmarkTests
{
    [Fact]
    public void MeasuresTheDecodePathOnATinySetting()
    {
        var reports = new List<PipelineProgress>();
        var result = DecodeBenchmark.Run(ExperimentLoader.Load(PipelineTestModel.SmallConfig),
            new DecodeBenchmarkOptions { Images = 5, BatchSize = 2, Size = 16 }, new Recorder(reports));
        Assert.Equal(5, result.Images);
        Assert.True(result.ImagesPerSecond > 0);
        Assert.True(result.PeakWorkingSetBytes > 0);
        Assert.Equal(new PipelineProgress("decode", 5, 5), reports[^1]);
    }

    [Fact]
    public void ASizeTheTokenGridCannotMakeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => DecodeBenchmark.Run(ExperimentLoader.Load(PipelineTestModel.SmallConfig),
            new DecodeBenchmarkOptions { Images = 1, BatchSize = 1, Size = 17 }));
        Assert.Contains("17", error.Message);
    }
}
