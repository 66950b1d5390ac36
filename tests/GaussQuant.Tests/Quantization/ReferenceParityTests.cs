using System.Text.Json;
using GaussQuant.Quantization;
using GaussQuant.Tokens;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Quantization;

/// <summary>
/// Agreement with the reference formulation (tools/fixtures/reference_gq.py, PyTorch) on the real K = 65536 codebooks:
/// indices and quantized latents of the materialised torch search, KL losses and adaptive weights over several steps.
/// </summary>
public class ReferenceParityTests
{
    public static TheoryData<string, GroupingVariant, int> Configurations => new()
    {
        { "strided_d16", GroupingVariant.Strided, 16 },
        { "strided_d8", GroupingVariant.Strided, 8 },
        { "strided_d4", GroupingVariant.Strided, 4 },
        { "contiguous_d8", GroupingVariant.Contiguous, 8 },
    };

    private static GaussianQuantizer Create(GroupingVariant variant, int dimension) =>
        new(new GaussianQuantizerOptions { Variant = variant, CodebookDimension = dimension, CodebookSize = 65536 }, 16);

    private static Tensor Load(string file)
    {
        var array = NpyFile.Read(TestPaths.Fixture("quantizer", file));
        return array.DType == "<i8" ? tensor(array.ToArray<long>(), array.Shape) : tensor(array.ToArray<float>(), array.Shape);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void IndicesAndLatentsEqualTheReferenceSearch(string name, GroupingVariant variant, int dimension)
    {
        using var quantizer = Create(variant, dimension);
        using var moments = Load($"{name}_moments.npy");
        using var expectedIndices = Load($"{name}_indices.npy");
        using var expectedLatent = Load($"{name}_latent.npy");
        using var result = quantizer.Quantize(moments);
        Assert.Equal(expectedIndices.shape, result.Indices.shape);
        Assert.Equal(expectedIndices.data<long>().ToArray(), result.Indices.data<long>().ToArray());
        Assert.True(expectedLatent.equal(result.Quantized).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void KlLossAndAdaptiveWeightsFollowTheReference(string name, GroupingVariant variant, int dimension)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("quantizer", "training_steps.json")));
        using var quantizer = Create(variant, dimension);
        int step = 0;
        foreach (var expected in document.RootElement.GetProperty(name).EnumerateArray())
        {
            using var moments = Load($"{name}_train{step++}.npy");
            using var output = quantizer.TrainingStep(moments);
            double loss = expected.GetProperty("loss").GetDouble();
            // A float32 sum of per-element KL terms, all of one sign: λ·√n·u relative (Float32ErrorBound), n elements.
            double relativeBudget = Float32ErrorBound.OneEvaluation(moments.numel() / 2);
            Assert.Equal(loss, output.KlLoss.item<float>(), Math.Abs(loss) * relativeBudget);
            // Reported to three decimals of a bit, far coarser than the float32 sums behind it.
            Assert.Equal(expected.GetProperty("bits_mean").GetDouble(), output.Bits.Mean, 3);
            Assert.Equal(expected.GetProperty("bits_min").GetDouble(), output.Bits.Min, 4);
            Assert.Equal(expected.GetProperty("bits_max").GetDouble(), output.Bits.Max, 4);
            Assert.Equal(expected.GetProperty("lam").GetDouble(), quantizer.Weights.Lambda, 12);
            Assert.Equal(expected.GetProperty("lam_min").GetDouble(), quantizer.Weights.LambdaMin, 12);
            Assert.Equal(expected.GetProperty("lam_max").GetDouble(), quantizer.Weights.LambdaMax, 12);
        }
    }
}
