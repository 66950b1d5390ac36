using GaussQuant.Evaluation;
using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Pipelines;

public class RoundTripPipelineTests
{
    [Fact]
    public void TokensGoOutAndComeBackAsTheVqReconstructionWithItsPsnr()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 3);
        var images = new ImageInputOptions { Inputs = pictures, Size = 16 };

        var result = RoundTripPipeline.Run(model.Tokenizer, images, folder["out"]);

        Assert.True(File.Exists(result.TokensPath));
        Assert.True(File.Exists(result.GridPath));
        Assert.Equal(pictures, result.Inputs);
        Assert.Equal(model.Autoencoder.Quantizer.Tokens!.PerPosition * 16 / model.Autoencoder.DownsamplingFactor * 16 / model.Autoencoder.DownsamplingFactor,
            result.TokensPerImage);
        var reconstructed = ReconstructPipeline.Run(model.Autoencoder, new ReconstructOptions
        {
            Images = images, OutputFolder = folder["direct"], Mode = GaussQuant.Models.ReconstructionMode.Vq,
        });
        var preprocessing = ImagePreprocessing.ResizeCenterCrop(16);
        for (int i = 0; i < pictures.Count; i++)
        {
            var direct = ImageDecoder.Decode(reconstructed.Images[i]);
            var viaTokens = ImageDecoder.Decode(Path.Combine(result.ReconstructionFolder, Path.GetFileName(reconstructed.Images[i])));
            Assert.Equal(direct.Pixels, viaTokens.Pixels);
            using var original = ImageTensors.ToBatch([preprocessing.Apply(ImageDecoder.Decode(pictures[i]), pictures[i])]);
            using var decoded = ImageTensors.ToBatch([direct]);
            Assert.Equal(Psnr.PerImage(original, decoded)[0], result.Psnr[i], 10);
        }
    }
}
