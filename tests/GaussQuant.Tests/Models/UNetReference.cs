using System.Text.Json;
using GaussQuant.Checkpoints;
using GaussQuant.Models;
using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

/// <summary>
/// One small configuration from tests/fixtures/unet (written by tools/fixtures/make_unet_fixtures.py with our
/// PyTorch reference): its options, weights, and the reference outputs per input case.
/// </summary>
internal sealed class UNetReference : IDisposable
{
    public static readonly string[] Configurations = ["attention_mid", "attention_top"];

    public static readonly string[] Cases = ["random", "images", "wide", "odd"];

    private UNetReference(string configuration)
    {
        Folder = TestPaths.Fixture("unet", configuration);
        Options = JsonSerializer.Deserialize<UNetOptions>(File.ReadAllText(Path.Combine(Folder, "options.json")))
            ?? throw new InvalidDataException($"{Folder}/options.json is empty");
        Weights = SafetensorsFile.Read(Path.Combine(Folder, "weights.safetensors"));
        Tensors = SafetensorsFile.Read(Path.Combine(Folder, "cases.safetensors"));
    }

    public string Folder { get; }

    public UNetOptions Options { get; }

    /// <summary><c>encoder.*</c> and <c>decoder.*</c> tensors.</summary>
    public Dictionary<string, Tensor> Weights { get; }

    /// <summary><c>input.</c>, <c>encoded.</c>, <c>latent.</c> and <c>decoded.</c> + case name.</summary>
    public Dictionary<string, Tensor> Tensors { get; }

    public string WeightsPath => Path.Combine(Folder, "weights.safetensors");

    public static UNetReference Load(string configuration) => new(configuration);

    public Encoder LoadEncoder()
    {
        var encoder = new Encoder(Options);
        ModuleWeights.LoadInto(encoder, Weights, WeightsPath, "encoder.");
        encoder.eval();
        return encoder;
    }

    public Decoder LoadDecoder()
    {
        var decoder = new Decoder(Options);
        ModuleWeights.LoadInto(decoder, Weights, WeightsPath, "decoder.");
        decoder.eval();
        return decoder;
    }

    public void Dispose()
    {
        foreach (var tensor in Weights.Values.Concat(Tensors.Values)) tensor.Dispose();
    }
}
