using GaussQuant.Checkpoints;
using GaussQuant.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

/// <summary>
/// A small ViT of the authors' design against the PyTorch oracle written from the spec (tests/fixtures/vit,
/// tools/fixtures/make_vit_fixtures.py): encoder moments and decoded images within the float32 network budget.
/// </summary>
public class ViTParityTests(ITestOutputHelper output)
{
    private static readonly ViTOptions Small = new()
    {
        ImageSize = 32, PatchSize = 8, Width = 64, Layers = 2, Heads = 4, MlpRatio = 4, LatentChannels = 8,
    };

    [Fact]
    public void EncoderAndDecoderMatchPyTorch()
    {
        string weightsPath = TestPaths.Fixture("vit", "weights.safetensors");
        var weights = SafetensorsFile.Read(weightsPath);
        var cases = SafetensorsFile.Read(TestPaths.Fixture("vit", "cases.safetensors"));
        try
        {
            using var encoder = new ViTEncoder(Small);
            using var decoder = new ViTDecoder(Small);
            ModuleWeights.LoadInto(encoder, weights, weightsPath, "encoder.");
            ModuleWeights.LoadInto(decoder, weights, weightsPath, "decoder.");
            encoder.eval();
            decoder.eval();
            using var noGrad = no_grad();
            using var moments = encoder.call(cases["input"]);
            TensorAssert.WithinNetworkBudget(cases["moments"], moments, encoder, "ViT encoder moments", output);
            using var mean = moments.narrow(2, 0, Small.LatentChannels).contiguous();
            using var decoded = decoder.call(mean);
            TensorAssert.WithinNetworkBudget(cases["decoded"], decoded, decoder, "ViT decoded images", output);
        }
        finally
        {
            foreach (var tensor in weights.Values.Concat(cases.Values)) tensor.Dispose();
        }
    }

    [Fact]
    public void AnImageTheFixedPositionalEmbeddingCannotTakeIsAClearError()
    {
        using var encoder = new ViTEncoder(Small);
        using var images = zeros(1, 3, 48, 48);
        var error = Assert.Throws<ArgumentException>(() => encoder.call(images));
        Assert.Contains("fits 32×32 RGB images only", error.Message);
    }
}
