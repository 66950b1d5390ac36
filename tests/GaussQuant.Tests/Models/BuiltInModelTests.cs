using GaussQuant.Evaluation;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Tests.Config;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Models;

public class BuiltInModelTests
{
    [SkippableFact]
    public void TheLibraryLoadsItsBuiltInModelAndTokenizesASampleWithoutTheCli()
    {
        Skip.IfNot(BuiltInModel.IsAvailable, "this build has no built-in model (models/default/model.safetensors was absent)");
        var samples = BuiltInModel.SampleImages();
        Assert.Equal(8, samples.Count);
        Assert.All(samples, sample => Assert.EndsWith(".png", sample, StringComparison.Ordinal));

        using var tokenizer = TokenizerModel.LoadBuiltIn();
        Assert.Equal(BuiltInModel.File(), tokenizer.CheckpointPath);
        using var images = ImageTensors.ToBatch([ImageDecoder.Decode(samples[0])]);
        using var latent = tokenizer.Model.Quantize(images);
        using var decoded = tokenizer.Model.DecodeTokens(latent.Indices);
        // 64x64 pixels and one token of K = 4096 per 4x4 pixels, as models/default/README.md describes the model.
        Assert.Equal(new long[] { 1, 1, 16, 16 }, latent.Indices.shape);
        Assert.InRange(latent.Indices.max().item<long>(), 0, 4095);
        // The model's held-out mean is 21.2 dB and this sample's 18.0 dB; 15 dB is far above what wrong weights or a wrong
        // pixel mapping give (about 10 dB or less) and leaves room for any CPU's float32 rounding.
        Assert.True(Psnr.PerImage(images, decoded.clamp(-1, 1))[0] > 15);
    }

    [SkippableFact]
    public void TheShippedModelCarriesNoPathOfTheMachineItWasTrainedOn()
    {
        string shipped = Path.Combine(TestPaths.RepositoryRoot, "models", "default", "model.safetensors");
        Skip.IfNot(File.Exists(shipped), "this checkout has no models/default/model.safetensors");
        var config = TokenizerModel.ConfigOf(shipped);
        Assert.Empty(AbsolutePaths.In(config.Tree));
        Assert.Equal("tiny_imagenet_train.txt", config.Data!.TrainRoot);
    }
}
