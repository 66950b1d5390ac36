using System.CommandLine;
using GaussQuant.Distributed;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq bench search --size K --dim D [--tokens N]</c>: measures the codebook search; ends with <c>tokens_per_s=</c>.
/// <c>gq bench encode</c> and <c>gq bench decode</c>: see <see cref="BenchEncodeCommand"/> and <see cref="BenchDecodeCommand"/>; <c>gq bench profile</c>: <see cref="BenchProfileCommand"/>. <c>gq bench allreduce</c> (under mpirun): the all-reduce's time.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(ICommunicator communicator)
    {
        var bench = new Command("bench", "Measure GaussQuant's speed on this machine.");
        bench.Subcommands.Add(CreateSearch());
        bench.Subcommands.Add(BenchEncodeCommand.Create());
        bench.Subcommands.Add(BenchDecodeCommand.Create());
        bench.Subcommands.Add(BenchProfileCommand.Create());
        bench.Subcommands.Add(RankJob.SharesWork(CreateAllReduce(communicator)));
        return bench;
    }

    private static Command CreateAllReduce(ICommunicator communicator)
    {
        var megabytes = new Option<double>("--megabytes") { Description = "Size of the float32 buffer in MB (10^6 bytes).", DefaultValueFactory = _ => 4 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed all-reduce calls.", DefaultValueFactory = _ => 20 };
        var command = new Command("allreduce", "Time an all-reduce sum of a float32 buffer across the ranks of an MPI job (run it under mpirun).")
        {
            megabytes, repetitions,
        };
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            double size = parsed.GetValue(megabytes);
            if (size is <= 0 or > 2000)
                throw new ArgumentException($"--megabytes must lie in (0, 2000], not {size}");
            var result = AllReduceBenchmark.Run(communicator, (int)Math.Max(1, size * 1e6 / 4), parsed.GetValue(repetitions));
            Console.WriteLine($"ranks={result.Ranks} bytes={result.Bytes} min_ms={result.MinSeconds * 1e3:F2} median_ms={result.MedianSeconds * 1e3:F2} " +
                              $"max_ms={result.MaxSeconds * 1e3:F2} bus_gbit_per_s={result.BusBytesPerSecond * 8 / 1e9:F2}");
            return ExitCodes.Success;
        }));
        return command;
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
