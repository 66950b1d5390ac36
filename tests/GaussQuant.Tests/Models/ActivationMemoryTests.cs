using GaussQuant.Config;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Tests.Pipelines;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Models;

[Collection(ProcessWideStateCollection.Name)]
public class ActivationMemoryTests
{
    [Fact]
    public void AnInferencePassOverTheLimitIsRefusedBeforeItStartsAndTrainingIsNot()
    {
        using var model = ModelFactory.Create(ExperimentLoader.Load(PipelineTestModel.SmallConfig).Model);
        using var images = zeros(2, 3, 32, 32);
        double need = ActivationMemory.Estimate(model.Encoder.Options, 2, 32, 32);
        var saved = ResourceLimits.Current;
        ResourceLimits.Current = saved with { MaxActivationBytes = (long)need - 1 };
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => model.Quantize(images));
            Assert.Contains("Encoder: running the network on 2 image(s) of 32x32 pixels needs about", error.Message);
            // Training keeps its batch: the estimate is for inference, and the backward pass needs more anyway.
            model.EncodeMoments(images).Dispose();
        }
        finally
        {
            ResourceLimits.Current = saved;
        }
    }

    [Fact]
    public void TheBatchShrinksToWhatFitsTheLimit()
    {
        var options = new UNetOptions { Channels = 32, ChannelMultipliers = [1, 2], AttentionResolutions = [] };
        double single = ActivationMemory.Estimate(options, 1, 64, 64);
        Assert.Equal(2 * single, ActivationMemory.Estimate(options, 2, 64, 64));
        var saved = ResourceLimits.Current;
        ResourceLimits.Current = saved with { MaxActivationBytes = (long)(3.5 * single) };
        try
        {
            Assert.Equal(3, ActivationMemory.BatchWithin(options, 64, 64, 16, "tokens.npy"));
            Assert.Equal(2, ActivationMemory.BatchWithin(options, 64, 64, 2, "tokens.npy"));
            var error = Assert.Throws<InvalidDataException>(() => ActivationMemory.BatchWithin(options, 128, 128, 16, "tokens.npy"));
            Assert.StartsWith("tokens.npy: running the network on 1 image(s) of 128x128 pixels", error.Message);
        }
        finally
        {
            ResourceLimits.Current = saved;
        }
    }
}
