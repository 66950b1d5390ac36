using GaussQuant.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

/// <summary>Encoder and decoder against our PyTorch reference (tests/fixtures/unet) on random, real, non-square and odd-sized inputs.</summary>
public class UNetParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ConfigurationsAndCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var configuration in UNetReference.Configurations)
            foreach (var inputCase in UNetReference.Cases)
                data.Add(configuration, inputCase);
        return data;
    }

    [Theory]
    [MemberData(nameof(ConfigurationsAndCases))]
    public void EncoderMatchesTheReference(string configuration, string inputCase)
    {
        using var reference = UNetReference.Load(configuration);
        using var encoder = reference.LoadEncoder();
        using var noGrad = no_grad();
        using var encoded = encoder.call(reference.Tensors[$"input.{inputCase}"]);
        TensorAssert.WithinNetworkBudget(reference.Tensors[$"encoded.{inputCase}"], encoded, encoder, $"{configuration}/{inputCase} encoder", output);
    }

    [Theory]
    [MemberData(nameof(ConfigurationsAndCases))]
    public void DecoderMatchesTheReference(string configuration, string inputCase)
    {
        using var reference = UNetReference.Load(configuration);
        using var decoder = reference.LoadDecoder();
        using var noGrad = no_grad();
        using var decoded = decoder.call(reference.Tensors[$"latent.{inputCase}"]);
        TensorAssert.WithinNetworkBudget(reference.Tensors[$"decoded.{inputCase}"], decoded, decoder, $"{configuration}/{inputCase} decoder", output);
    }
}
