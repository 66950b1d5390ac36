using System.CommandLine;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq bench search --size K --dim D [--tokens N]</c>: measures the codebook search; ends with <c>tokens_per_s=</c>.
/// <c>gq bench encode</c>: see <see cref="BenchEncodeCommand"/>; <c>gq bench profile</c>: <see cref="BenchProfileCommand"/>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure GaussQuant's speed on this machine.");
        bench.Subcommands.Add(CreateSearch());
        bench.Subcommands.Add(BenchEncodeCommand.Create());
        bench.Subcommands.Add(BenchProfileCommand.Create());
        return bench;
    }

    private static Command CreateSearch()
    {
        var size = new Option<int>("--size") { Description = "Codebook size K (a power of two).", DefaultValueFactory = _ => 65536 };
        var dimension = new Option<int>("--dim") { Description = "Codebook dimension d.", DefaultValueFactory = _ => 16 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens (latent groups) to search.", DefaultValueFactory = _ => 8192 };
        var threads = new ThreadsOption();
        var kernel = new Option<SearchKernel>("--kernel") { Description = "Search implementation.", DefaultValueFactory = _ => SearchKernel.Auto };
        var command = new Command("search", "Tokens per second of the codebook search, next to the fp32 GEMM bound.")
        {
            size, dimension, tokens, threads, kernel,
        };
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var result = SearchBenchmark.Run(parsed.GetValue(size), parsed.GetValue(dimension), parsed.GetValue(tokens),
                new CodebookSearchOptions { Kernel = parsed.GetValue(kernel), MaxThreads = ThreadsOption.Requested(parsed) });
            Console.WriteLine($"kernel={result.Kernel} threads={result.Threads} K={result.CodebookSize} d={result.Dimension} tokens={result.Tokens}");
            Console.WriteLine($"gemm_gflops={result.GemmGigaflops:F1} gemm_bound_tokens_per_s={result.GemmBoundTokensPerSecond:F0} " +
                              $"fraction_of_bound={result.TokensPerSecond / result.GemmBoundTokensPerSecond:F2}");
            Console.WriteLine($"peak_working_set_mib={result.PeakWorkingSetBytes / (1024.0 * 1024):F0}");
            Console.WriteLine($"tokens_per_s={result.TokensPerSecond:F0}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
