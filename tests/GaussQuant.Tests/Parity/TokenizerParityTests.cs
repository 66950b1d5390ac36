using GaussQuant.Checkpoints;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Tests.Pipelines;
using GaussQuant.Tokens;
using Xunit.Abstractions;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Parity;

/// <summary>
/// The whole tokenizer, loaded from a Lightning-style .ckpt through <see cref="TokenizerModel.Load"/>, against the
/// PyTorch model our oracles build from the spec (tests/fixtures/parity, tools/fixtures/make_tokenizer_parity_fixtures.py):
/// posterior mean, reconstructions and decoding of given tokens within the network's float32 error budget
/// (<see cref="TensorAssert.WithinNetworkBudget"/>), token indices at least 99.9 % equal.
/// </summary>
public class TokenizerParityTests(ITestOutputHelper output)
{
    private const double MinimumIndexAgreement = 0.999;

    public static TheoryData<string> Configs => new() { "gq_group16", "gq_group8" };

    private static string Fixture(params string[] parts) => TestPaths.Fixture(["parity", .. parts]);

    private static IReadOnlyList<string> Pictures => ["cifar10", "tiny_imagenet", "bsds500"];

    /// <summary>The C# model loaded from a config's checkpoint, and what PyTorch computed with it.</summary>
    private sealed class Reference(string config) : IDisposable
    {
        public TokenizerModel Model { get; } = TokenizerModel.Load(Fixture(config, "config.yaml"), Fixture(config, "model.ckpt"));

        public DisposableTensors Expected { get; } = new(SafetensorsFile.Read(Fixture(config, "expected.safetensors")));

        public void Dispose()
        {
            Model.Dispose();
            Expected.Dispose();
        }
    }

    /// <summary>The committed pictures as model inputs, then the random input.</summary>
    private static Tensor Inputs()
    {
        using var saved = new DisposableTensors(SafetensorsFile.Read(Fixture("inputs.safetensors")));
        return cat([saved["images"], saved["random"]]);
    }

    [Fact]
    public void ThePicturesDecodeToTheInputsPyTorchWasGiven()
    {
        using var saved = new DisposableTensors(SafetensorsFile.Read(Fixture("inputs.safetensors")));
        using var decoded = ImageTensors.ToBatch(Pictures.Select(name => ImageDecoder.Decode(Fixture("images", name + ".png"))).ToList());
        Assert.True(decoded.equal(saved["images"]).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void QuantizationAndReconstructionsMatchPyTorch(string config)
    {
        using var reference = new Reference(config);
        var (model, expected) = (reference.Model, reference.Expected);
        using var inputs = Inputs();
        using var latent = model.Model.Quantize(inputs);
        TensorAssert.WithinNetworkBudget(expected["mean"], latent.Mean, model.Model, $"{config} posterior mean", output);
        AssertMostlyEqual(expected["indices"], latent.Indices, $"{config} indices");
        using var vq = model.Model.Reconstruct(inputs, ReconstructionMode.Vq);
        TensorAssert.WithinNetworkBudget(expected["vq"], vq, model.Model, $"{config} VQ reconstruction", output);
        using var mean = model.Model.Reconstruct(inputs, ReconstructionMode.Mean);
        TensorAssert.WithinNetworkBudget(expected["mean_reconstruction"], mean, model.Model, $"{config} mean reconstruction", output);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void DecodingGivenTokensMatchesPyTorch(string config)
    {
        using var reference = new Reference(config);
        var (model, expected) = (reference.Model, reference.Expected);
        using var decoded = model.Model.DecodeTokens(expected["given_indices"]);
        TensorAssert.WithinNetworkBudget(expected["given_decoded"], decoded, model.Model, $"{config} decoded tokens", output);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void EncodingThePicturesFilesGivesPyTorchsTokens(string config)
    {
        using var reference = new Reference(config);
        var (model, expected) = (reference.Model, reference.Expected);
        using var folder = new TemporaryFolder();
        var result = TokenizePipeline.Run(model, new TokenizeOptions
        {
            Images = new ImageInputOptions { Inputs = Pictures.Select(name => Fixture("images", name + ".png")).ToList(), NoResize = true },
            OutputPath = folder["tokens.npy"],
        });
        var tokens = NpyFile.Read(result.TokensPath);
        using var actual = tensor(tokens.ToArray<long>(), tokens.Shape);
        using var pictureIndices = expected["indices"].narrow(0, 0, Pictures.Count);
        AssertMostlyEqual(pictureIndices, actual, $"{config} tokens of the picture files");
    }


    private void AssertMostlyEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var equal = expected.eq(actual.to(expected.device));
        double agreement = equal.to(ScalarType.Float64).mean().item<double>();
        output.WriteLine($"{what}: {agreement:P3} of {expected.numel()} equal");
        Assert.True(agreement >= MinimumIndexAgreement, $"{what}: only {agreement:P3} of the indices agree");
    }
}
