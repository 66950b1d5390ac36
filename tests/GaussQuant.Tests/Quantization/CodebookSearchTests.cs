using GaussQuant.Pipelines;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Quantization;

public class CodebookSearchTests
{
    public static TheoryData<SearchKernel> Kernels =>
        [SearchKernel.Auto, SearchKernel.Vector512, SearchKernel.Vector256, SearchKernel.Vector128, SearchKernel.Portable, SearchKernel.Tensor];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EqualsTheFloat64ArgmaxOnSmallRandomCases(SearchKernel kernel)
    {
        foreach (var (dimension, size, rows) in new[] { (1, 2, 1), (3, 8, 7), (16, 64, 13), (4, 4096, 50), (16, 1024, 100), (5, 16, 6), (2, 1, 3) })
        {
            var codebook = Codebook.Create(dimension, size, seed: dimension + size);
            var (means, stds) = SearchBenchmark.TypicalPosteriors(rows, dimension, seed: rows);
            using var search = new CodebookSearch(codebook, 1.0, new CodebookSearchOptions { Kernel = kernel, MemoryBudgetBytes = 4096 });
            var indices = new long[rows];
            search.Search(means, stds, indices);
            Assert.Equal(ExactSearch.ArgMax(codebook, means, stds, 1.0), indices);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void HonoursBeta(double beta)
    {
        var codebook = Codebook.Create(8, 512, seed: 3);
        var (means, stds) = SearchBenchmark.TypicalPosteriors(40, 8, seed: 9);
        using var search = new CodebookSearch(codebook, beta);
        var indices = new long[40];
        search.Search(means, stds, indices);
        Assert.Equal(ExactSearch.ArgMax(codebook, means, stds, beta), indices);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void TiesGoToTheFirstEntry(SearchKernel kernel)
    {
        // 40 entries made of a 5-entry pattern repeated: every score appears 8 times; the first must win.
        var pattern = new[] { -1f, 0.5f, 2f, -0.25f, 1f };
        var entries = Enumerable.Range(0, 40).Select(j => pattern[j % 5]).ToArray();
        var codebook = Codebook.FromEntries(1, entries);
        using var search = new CodebookSearch(codebook, 1.0, new CodebookSearchOptions { Kernel = kernel, MemoryBudgetBytes = 64 });
        var means = new[] { -1f, 0.45f, 1.9f, -0.3f, 0.9f, 0f };
        var stds = new[] { 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f };
        var indices = new long[6];
        search.Search(means, stds, indices);
        Assert.All(indices, index => Assert.InRange(index, 0, 4));
        Assert.Equal(ExactSearch.ArgMax(codebook, means, stds, 1.0), indices);
    }

    [Fact]
    public void AgreesWithFloat64OnTypicalPosteriorsForAtLeast9999In10000Rows()
    {
        var codebook = Codebook.Create(16, 16384, seed: 42);
        var (means, stds) = SearchBenchmark.TypicalPosteriors(3000, 16, seed: 2025);
        using var search = new CodebookSearch(codebook);
        var indices = new long[3000];
        search.Search(means, stds, indices);
        var exact = ExactSearch.ArgMax(codebook, means, stds, 1.0);
        int agreeing = indices.Zip(exact).Count(pair => pair.First == pair.Second);
        Assert.True(agreeing >= 0.9999 * indices.Length, $"{agreeing} of {indices.Length} rows agree");
    }

    [Fact]
    public void TensorOverloadGivesTheSameIndicesAsTheSpanOverload()
    {
        var codebook = Codebook.Create(4, 256, seed: 1);
        var (means, stds) = SearchBenchmark.TypicalPosteriors(33, 4, seed: 5);
        using var search = new CodebookSearch(codebook);
        var expected = new long[33];
        search.Search(means, stds, expected);
        using var meanTensor = tensor(means, new long[] { 33, 4 });
        using var stdTensor = tensor(stds, new long[] { 33, 4 });
        using var indices = search.Search(meanTensor, stdTensor);
        Assert.Equal(ScalarType.Int64, indices.dtype);
        Assert.Equal(expected, indices.data<long>().ToArray());
    }

    [Fact]
    public void NoRowsGiveNoIndices()
    {
        using var search = new CodebookSearch(Codebook.Create(2, 16, seed: 1));
        search.Search(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, Span<long>.Empty);
    }

    [Fact]
    public void NaNLatentsAreRejectedWithAClearMessage()
    {
        using var search = new CodebookSearch(Codebook.Create(2, 16, seed: 1));
        var error = Assert.Throws<ArgumentException>(() => search.Search([0f, float.NaN], [1f, 1f], new long[1]));
        Assert.Contains("NaN", error.Message);
        Assert.Contains("row 0", error.Message);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        using var search = new CodebookSearch(Codebook.Create(2, 16, seed: 1));
        var error = Assert.Throws<ArgumentException>(() => search.Search(new float[4], new float[4], new long[3]));
        Assert.Contains("3 rows of 2", error.Message);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        var codebook = Codebook.Create(2, 16, seed: 1);
        Assert.Throws<ArgumentException>(() => new CodebookSearch(codebook, beta: double.NaN));
        Assert.Throws<ArgumentException>(() => new CodebookSearch(codebook, 1.0, new CodebookSearchOptions { MaxThreads = 0 }));
        Assert.Throws<ArgumentException>(() => new CodebookSearch(codebook, 1.0, new CodebookSearchOptions { MemoryBudgetBytes = 0 }));
    }
}
