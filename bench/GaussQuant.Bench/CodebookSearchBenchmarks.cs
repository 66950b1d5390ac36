using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Bench;

/// <summary>Codebook search throughput; each operation is one token (one latent group), so Mean is the time per token.</summary>
[Config(typeof(TokensPerSecondConfig))]
public class CodebookSearchBenchmarks
{
    private const int Tokens = 4096;
    private CodebookSearch search = null!;
    private float[] means = null!, stds = null!;
    private readonly long[] indices = new long[Tokens];

    [Params(1024, 4096, 16384, 65536)]
    public int CodebookSize { get; set; }

    [Params(4, 8, 16)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        search = new CodebookSearch(Codebook.Create(Dimension, CodebookSize));
        (means, stds) = SearchBenchmark.TypicalPosteriors(Tokens, Dimension, seed: 1);
    }

    [GlobalCleanup]
    public void Cleanup() => search.Dispose();

    [Benchmark(OperationsPerInvoke = Tokens)]
    public void Search() => search.Search(means, stds, indices);

    private sealed class TokensPerSecondConfig : ManualConfig
    {
        // In process: BenchmarkDotNet's default toolchain builds a generated project whose copy of LibTorchSharp misses
        // the build's GLIBCXX patch (Directory.Build.targets), so it would not load on Debian 12. A short run (3 + 3
        // iterations) keeps the 12 cases to a few minutes; the search's timings are steady.
        public TokensPerSecondConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(new TokensPerSecondColumn());
        }
    }

    private sealed class TokensPerSecondColumn : IColumn
    {
        public string Id => nameof(TokensPerSecondColumn);
        public string ColumnName => "Tokens/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Tokens searched per second (1 / Mean)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            return statistics is null ? "n/a" : $"{1e9 / statistics.Mean:N0}";
        }
    }
}
