using System.Runtime.Intrinsics;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;
using GaussQuant.Quantization.Search;

namespace GaussQuant.Tests.Quantization;

/// <summary>
/// The register tile is chosen per vector width for speed only: every shape at every width must find the same entries,
/// because each score sums its features in the same order with fused multiply-adds.
/// </summary>
public class ScoreTileTests
{
    [Theory]
    // Codebook sizes that fill neither a 6x2 nor a 4x6 panel at any width, several codebook blocks (also at small d,
    // where the 1,024-entry cap on a block, not its 32 KiB, sets its size), and row counts that leave partial tiles of
    // both shapes.
    [InlineData(16, 5000, 103)]
    [InlineData(1, 3000, 9)]
    [InlineData(2, 2500, 13)]
    [InlineData(3, 1001, 29)]
    [InlineData(1, 7, 5)]
    public void EveryTileAtEveryWidthFindsTheSameEntries(int dimension, int size, int rows)
    {
        // Codebook.Create makes powers of two only; these sizes need entries of our own (any values score the same way).
        var random = new Random(size);
        var entries = Enumerable.Range(0, dimension * size).Select(_ => (float)(4 * random.NextDouble() - 2)).ToArray();
        var packed = new PackedCodebook(Codebook.FromEntries(dimension, entries));
        var (means, stds) = SearchBenchmark.TypicalPosteriors(rows, dimension, seed: rows);
        var weights = new float[rows * packed.Features];
        SearchWeights.Compute(means, stds, dimension, 1.0, weights);
        ISearchKernel[] kernels =
        [
            new SimdSearchKernel<Vector512<float>, Vector512Ops, ScoreTile4x6>(packed),
            new SimdSearchKernel<Vector512<float>, Vector512Ops, ScoreTile6x2>(packed),
            new SimdSearchKernel<Vector256<float>, Vector256Ops, ScoreTile4x6>(packed),
            new SimdSearchKernel<Vector256<float>, Vector256Ops, ScoreTile6x2>(packed),
            new SimdSearchKernel<Vector128<float>, Vector128Ops, ScoreTile4x6>(packed),
            new SimdSearchKernel<Vector128<float>, Vector128Ops, ScoreTile6x2>(packed),
        ];
        var expected = new long[rows];
        kernels[^1].Search(weights, expected, maxThreads: 1);
        foreach (var kernel in kernels)
        {
            var indices = new long[rows];
            kernel.Search(weights, indices, maxThreads: 2);
            Assert.True(expected.SequenceEqual(indices), $"{kernel.Name} differs from {kernels[^1].Name}");
        }
    }
}
