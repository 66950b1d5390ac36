using GaussQuant.Config;
using GaussQuant.Pipelines;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Pipelines;

public class EncodeBenchmarkTests
{
    [Fact]
    public void MeasuresTheTokenizePathOnATinySetting()
    {
        var reports = new List<PipelineProgress>();
        var result = EncodeBenchmark.Run(ExperimentLoader.Load(PipelineTestModel.SmallConfig),
            new EncodeBenchmarkOptions { Images = 5, BatchSize = 2, Size = 16 }, new Recorder(reports));
        Assert.Equal(5, result.Images);
        Assert.True(result.ImagesPerSecond > 0);
        Assert.True(result.EncoderTime > TimeSpan.Zero && result.SearchTime > TimeSpan.Zero);
        Assert.True(result.OtherTime >= TimeSpan.Zero, $"encoder {result.EncoderTime} + search {result.SearchTime} exceed the total {result.TotalTime}");
        Assert.True(result.PeakWorkingSetBytes > 0);
        Assert.Equal(new PipelineProgress("encode", 5, 5), reports[^1]);
    }
}
