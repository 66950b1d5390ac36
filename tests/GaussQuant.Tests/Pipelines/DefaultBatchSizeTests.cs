using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Tests.Pipelines;

public class DefaultBatchSizeTests
{
    /// <summary>The built-in model's UNet: ch 32, ch_mult [1, 2, 2], attention at 16 of 64 (level 2).</summary>
    private static readonly UNetOptions BuiltIn = new()
    {
        Channels = 32, ChannelMultipliers = [1, 2, 2], ResBlocksPerLevel = 1, AttentionResolutions = [16], Resolution = 64, LatentChannels = 16,
    };

    [Fact]
    public void TheBatchIsTheBudgetOverTheActivationEstimate()
    {
        using var model = new Autoencoder(BuiltIn, BuiltIn, new GaussianQuantizerOptions { CodebookDimension = 16, CodebookSize = 4096 });
        double perImage = ActivationMemory.Estimate(BuiltIn, 1, 256, 256);
        Assert.Equal((int)Math.Floor(DefaultBatchSize.MemoryBudgetBytes / perImage), DefaultBatchSize.For(model, 256, 256));
        Assert.Equal(2, DefaultBatchSize.For(model, 256, 256, budgetBytes: (long)(2.5 * perImage)));
    }

    [Fact]
    public void TheBatchFollowsTheImageSizeWithinTheBudget()
    {
        using var model = new Autoencoder(BuiltIn, BuiltIn, new GaussianQuantizerOptions { CodebookDimension = 16, CodebookSize = 4096 });
        Assert.Equal(4, DefaultBatchSize.For(model, 256, 256));
        Assert.Equal(DefaultBatchSize.Max, DefaultBatchSize.For(model, 64, 64));
        Assert.Equal(1, DefaultBatchSize.For(model, 1024, 1024));
    }

    [Fact]
    public void ReconstructReportsProgressPerImageWithinABatch()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 3);
        var reported = new List<PipelineProgress>();
        ReconstructPipeline.Run(model.Autoencoder, new ReconstructOptions
        {
            Images = new ImageInputOptions { Inputs = [folder["in"]], BatchSize = 3 },
            OutputFolder = folder["out"],
        }, new Recorder(reported));
        Assert.Equal([0L, 1, 2, 3], reported.Select(report => report.Completed).Distinct());
    }
}
