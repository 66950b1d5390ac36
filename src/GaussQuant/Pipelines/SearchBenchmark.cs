using System.Diagnostics;
using GaussQuant.Quantization;
using static TorchSharp.torch;

namespace GaussQuant.Pipelines;

/// <summary>Measured speed of the codebook search, with the fp32 matrix-product bound of this machine for scale.</summary>
public sealed record SearchBenchmarkResult(
    int CodebookSize,
    int Dimension,
    int Tokens,
    string Kernel,
    int Threads,
    double TokensPerSecond,
    double GemmGigaflops,
    double GemmBoundTokensPerSecond,
    long PeakWorkingSetBytes);

/// <summary>
/// Times the codebook search on posteriors typical of a trained model (μ ~ N(0, 0.9²), σ uniform in [0.2, 0.6]):
/// one untimed warm-up pass, then the best of several timed passes, each followed by one pass of LibTorch's fp32 GEMM.
/// The bound assumes the search costs what a matrix product of 4·K·d flops per token costs at that GEMM's best rate.
/// </summary>
public static class SearchBenchmark
{
    public static SearchBenchmarkResult Run(int codebookSize, int dimension, int tokens, CodebookSearchOptions? options = null,
        int repetitions = 5)
    {
        if (tokens < 1) throw new ArgumentException($"the number of tokens must be at least 1, got {tokens}");
        options ??= new CodebookSearchOptions();
        var codebook = Codebook.Create(dimension, codebookSize);
        var (means, stds) = TypicalPosteriors(tokens, dimension, seed: 1);
        using var search = new CodebookSearch(codebook, 1.0, options);
        var indices = new long[tokens];
        search.Search(means, stds, indices);

        double best = double.MaxValue;
        void TimedSearch()
        {
            var watch = Stopwatch.StartNew();
            search.Search(means, stds, indices);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        double gemm = GemmRate.MeasureAlternating(options.MaxThreads, repetitions, TimedSearch).WallGigaflops;
        return new SearchBenchmarkResult(codebookSize, dimension, tokens, search.KernelName, options.MaxThreads,
            tokens / best, gemm, gemm * 1e9 / (4.0 * codebookSize * dimension), Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Posterior rows like a trained model's: μ ~ N(0, 0.9²), σ uniform in [0.2, 0.6].</summary>
    public static (float[] Means, float[] Stds) TypicalPosteriors(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var means = new float[(long)rows * dimension];
        var stds = new float[means.Length];
        for (long i = 0; i < means.Length; i++)
        {
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            means[i] = (float)(0.9 * gaussian);
            stds[i] = (float)(0.2 + 0.4 * random.NextDouble());
        }
        return (means, stds);
    }
}
