using GaussQuant.Experiments;
using GaussQuant.IO;
using GaussQuant.Quantization;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Quantization;

/// <summary>A Gaussian Quant codebook chosen at inference (<c>--codebook-size K'</c>): what it is, and what is refused.</summary>
[Collection(ProcessWideStateCollection.Name)] // one test lowers ResourceLimits.Current
public class InferenceCodebookSizeTests
{
    [Theory]
    [InlineData(16, 42, 256, 4096)]
    [InlineData(8, 7, 64, 2048)]
    [InlineData(3, 1, 2, 65536)]
    public void ASmallerCodebookIsThePrefixOfALargerOne(int dimension, int seed, int smaller, int larger)
    {
        // The scramble depends on the dimension and seed only, and row n of the sequence on n alone, so the first
        // K' rows of the K-entry codebook are the K'-entry codebook, bit for bit.
        var small = Codebook.Create(dimension, smaller, seed).Entries.ToArray();
        var large = Codebook.Create(dimension, larger, seed).Entries.ToArray();
        Assert.Equal(small, large[..small.Length]);
    }

    [Fact]
    public void TheTrainedSizeIsKeptAndTheSameSizeChangesNothing()
    {
        var trained = new GaussianQuantizerOptions { CodebookSize = 4096 };
        var chosen = trained.WithInferenceCodebookSize(256);
        Assert.Equal(256, chosen.CodebookSize);
        Assert.Equal(4096, chosen.TrainedCodebookSize);
        Assert.Equal("256", chosen.TokenParameters["size"]);
        Assert.Equal(8, chosen.BitsPerToken);
        Assert.Equal(trained, trained.WithInferenceCodebookSize(4096));
        Assert.Equal(trained, chosen.WithInferenceCodebookSize(4096));
        Assert.Equal(4096, chosen.WithInferenceCodebookSize(65536).TrainedCodebookSize);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-8)]
    [InlineData(3)]
    [InlineData(1000)]
    [InlineData(Codebook.MaxSize * 2)]
    public void SizesThatAreNoPowerOfTwoFromTwoTo2Pow24AreRefused(int size)
    {
        var error = Assert.Throws<ArgumentException>(() => new GaussianQuantizerOptions { CodebookSize = 4096 }.WithInferenceCodebookSize(size));
        Assert.Contains($"must be a power of two from 2 to 2^24 = {Codebook.MaxSize} (a whole number of bits per token), not {size}", error.Message);
    }

    [Fact]
    public void ACodebookBeyondTheModelMemoryLimitIsRefusedBeforeItIsBuilt()
    {
        var options = new GaussianQuantizerOptions { CodebookSize = 4096, CodebookDimension = 16 };
        var saved = ResourceLimits.Current;
        // 2^20 entries of 16 float32 values, held eight times (entries, tensor, packed rows, panels, tensor search): 512 MiB.
        ResourceLimits.Current = saved with { MaxModelBytes = (512L << 20) - 1 };
        try
        {
            var error = Assert.Throws<ArgumentException>(() => options.WithInferenceCodebookSize(1 << 20));
            Assert.Contains("a codebook of 1048576 entries of dimension 16 would need 512.0 MiB", error.Message);
            Assert.Contains(ResourceLimits.ModelBytesVariable, error.Message);
            Assert.Equal(1 << 19, options.WithInferenceCodebookSize(1 << 19).CodebookSize);
        }
        finally
        {
            ResourceLimits.Current = saved;
        }
    }

    [Theory]
    [InlineData("vq", "codes were fixed by training")]
    [InlineData("fsq", "codes were fixed by training")]
    [InlineData("gaussian_kl", "latent is continuous (it makes no tokens)")]
    public void OtherKindsRefuseIt(string kind, string why)
    {
        var config = ExperimentLoader.Load(TestPaths.Fixture("zoo", kind, "config.yaml")).Model;
        var error = Assert.Throws<ArgumentException>(() => config.WithInferenceCodebookSize(256));
        Assert.Contains("the codebook size can be chosen at inference only for a Gaussian Quant model", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void AModelLoadedWithAnotherSizeQuantizesAgainstThePrefix()
    {
        using var model = new PipelineTestModel();
        using var chosen = TokenizerModel.Load(model.ConfigPath, model.WeightsPath, codebookSize: 16);
        var quantizer = Assert.IsType<GaussianQuantizer>(chosen.Model.Quantizer);
        Assert.Equal(16, quantizer.Codebook.Size);
        Assert.Equal(256, quantizer.Options.TrainedCodebookSize);
        Assert.Equal(new TokenFormat(2, 16), chosen.Model.Quantizer.Tokens);
        Assert.Equal(16, ((GaussianQuantizerOptions)chosen.Config.Model.Quantizer).CodebookSize);
    }
}
