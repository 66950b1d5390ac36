using GaussQuant.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Pipelines;

/// <summary>encode → decode must give exactly the images reconstruct --mode vq gives.</summary>
public class RoundTripTests
{
    [Fact]
    public void EncodeThenDecodeEqualsVqReconstructionBitwise()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 5, width: 30, height: 22);
        AssertRoundTrip(model, folder, [folder["in"]], size: null, batch: 2);
    }

    [SkippableFact]
    public void RealPhotosRoundTripBitwise()
    {
        string photos = TestPaths.RequireShared("data", "bsds500-train");
        var inputs = Directory.EnumerateFiles(photos).Order(StringComparer.Ordinal).Take(6).ToList();
        using var model = new PipelineTestModel(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_g8_k4096.yaml"));
        using var folder = new TemporaryFolder();
        AssertRoundTrip(model, folder, inputs, size: 64, batch: 4);
    }

    private static void AssertRoundTrip(PipelineTestModel model, TemporaryFolder folder, IReadOnlyList<string> inputs, int? size, int batch)
    {
        var images = new ImageInputOptions { Inputs = inputs, Size = size, BatchSize = batch };
        var tokenized = TokenizePipeline.Run(model.Tokenizer, new TokenizeOptions { Images = images, OutputPath = folder["tokens.npy"] });
        var decoded = DetokenizePipeline.Run(model.Autoencoder, new DetokenizeOptions
        {
            TokensPath = folder["tokens.npy"], OutputFolder = folder["decoded"], BatchSize = batch,
        });
        var reconstructed = ReconstructPipeline.Run(model.Autoencoder, new ReconstructOptions { Images = images, OutputFolder = folder["reconstructed"] });

        var expandedInputs = GaussQuant.Imaging.ImageInputs.Expand(inputs);
        Assert.Equal(expandedInputs, TokenManifest.Read(folder["tokens.json"]).Inputs);
        Assert.Equal(expandedInputs.Count, tokenized.Manifest.Inputs.Count);
        Assert.Equal(decoded.Images.Select(Path.GetFileName), reconstructed.Images.Select(Path.GetFileName));
        for (int index = 0; index < decoded.Images.Count; index++)
            Assert.True(File.ReadAllBytes(decoded.Images[index]).SequenceEqual(File.ReadAllBytes(reconstructed.Images[index])),
                $"{Path.GetFileName(decoded.Images[index])} differs between decode and reconstruct --mode vq");
    }
}
