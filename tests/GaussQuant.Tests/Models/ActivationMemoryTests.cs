using GaussQuant.Config;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Pipelines;
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
    public void AnExplicitBatchOverTheLimitIsRefusedByDecodeAsByTheEncoderAndTheDefaultOneFits()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string tokens = folder["tokens.npy"];
        GaussQuant.Tokens.NpyFile.Write<long>(tokens, new long[4 * 2 * 4 * 3], 4, 2, 4, 3); // 4 images of 6x8 pixels (f = 2)
        double single = ActivationMemory.Estimate(model.Autoencoder.Decoder.Options, 1, 8, 6);
        Assert.Equal(2 * single, ActivationMemory.Estimate(model.Autoencoder.Decoder.Options, 2, 8, 6));
        var saved = ResourceLimits.Current;
        ResourceLimits.Current = saved with { MaxActivationBytes = (long)(3.5 * single) };
        try
        {
            var options = new DetokenizeOptions { TokensPath = tokens, OutputFolder = folder["out"], BatchSize = 4 };
            var error = Assert.Throws<InvalidDataException>(() => DetokenizePipeline.Run(model.Autoencoder, options));
            Assert.StartsWith($"{tokens}: running the network on 4 image(s) of 8x6 pixels", error.Message);
            Assert.False(Directory.Exists(folder["out"]));
            // The encoder refuses the same batch in the same words (encode, reconstruct and eval all reach it).
            using (var images = zeros(4, 3, 8, 6))
                Assert.StartsWith("Encoder: running the network on 4 image(s)",
                    Assert.Throws<InvalidDataException>(() => model.Autoencoder.Quantize(images)).Message);
            Assert.Equal(4, DetokenizePipeline.Run(model.Autoencoder, options with { BatchSize = null }).Images.Count);
        }
        finally
        {
            ResourceLimits.Current = saved;
        }
    }
}
